import SessionSDK

/// How to reach a running session's IDE, as the store keeps it (`sessions.connection`,
/// and inside change-log snapshots): `{"v":1,"url":"http://…","accessToken":"…"}`, with
/// `"agentAddress":"HOST:PORT"` when the session runs an agent; see
/// ``StoreRecordFormat``.
struct ConnectionRecord: Codable {
    /// The connection.
    var connection: Session.Connection

    init(_ connection: Session.Connection) {
        self.connection = connection
    }

    private enum CodingKeys: String, CodingKey {
        case version = "v"
        case url, accessToken, agentAddress
    }

    init(from decoder: any Decoder) throws {
        let record = try decoder.container(keyedBy: CodingKeys.self)
        try StoreRecordFormat.check(
            record.decodeIfPresent(Int.self, forKey: .version), record: "connection", codingPath: record.codingPath)
        connection = Session.Connection(
            url: try record.decode(String.self, forKey: .url),
            accessToken: try record.decodeIfPresent(String.self, forKey: .accessToken) ?? "",
            agentAddress: try record.decodeIfPresent(String.self, forKey: .agentAddress))
    }

    func encode(to encoder: any Encoder) throws {
        var record = encoder.container(keyedBy: CodingKeys.self)
        try record.encode(StoreRecordFormat.current, forKey: .version)
        try record.encode(connection.url, forKey: .url)
        try record.encode(connection.accessToken, forKey: .accessToken)
        try record.encodeIfPresent(connection.agentAddress, forKey: .agentAddress)
    }
}
