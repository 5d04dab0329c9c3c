import SessionSDK

/// A whole session as the change log keeps it (`changes.snapshot`, what WatchSessions
/// replays); see ``StoreRecordFormat``. The identity, state and times are required;
/// the rest has a default when it is missing. A state this release does not know reads
/// as UNKNOWN.
struct SessionRecord: Codable {
    /// The session.
    var session: Session

    init(_ session: Session) {
        self.session = session
    }

    private enum CodingKeys: String, CodingKey {
        case version = "v"
        case id, workspace, name, owner, spec, state, stateReason, clonedFrom, handle, connection, createdAt, updatedAt
        case revision
    }

    init(from decoder: any Decoder) throws {
        let record = try decoder.container(keyedBy: CodingKeys.self)
        try StoreRecordFormat.check(
            record.decodeIfPresent(Int.self, forKey: .version), record: "session", codingPath: record.codingPath)
        session = Session(
            id: SessionID(rawValue: try record.decode(String.self, forKey: .id)),
            workspace: WorkspaceID(rawValue: try record.decode(String.self, forKey: .workspace)),
            name: try record.decode(String.self, forKey: .name),
            owner: try record.decodeIfPresent(String.self, forKey: .owner) ?? "",
            spec: try record.decode(SessionSpecRecord.self, forKey: .spec).spec,
            state: SessionState(rawValue: try record.decode(String.self, forKey: .state)) ?? .unknown,
            stateReason: try record.decodeIfPresent(String.self, forKey: .stateReason) ?? "",
            clonedFrom: try record.decodeIfPresent(String.self, forKey: .clonedFrom).map(CheckpointID.init(rawValue:)),
            handle: try record.decodeIfPresent(String.self, forKey: .handle).map(SessionHandle.init(rawValue:)),
            connection: try record.decodeIfPresent(ConnectionRecord.self, forKey: .connection)?.connection,
            createdAt: try record.decode(Double.self, forKey: .createdAt),
            updatedAt: try record.decode(Double.self, forKey: .updatedAt),
            revision: try record.decode(Int64.self, forKey: .revision))
    }

    func encode(to encoder: any Encoder) throws {
        var record = encoder.container(keyedBy: CodingKeys.self)
        try record.encode(StoreRecordFormat.current, forKey: .version)
        try record.encode(session.id.rawValue, forKey: .id)
        try record.encode(session.workspace.rawValue, forKey: .workspace)
        try record.encode(session.name, forKey: .name)
        try record.encode(session.owner, forKey: .owner)
        try record.encode(SessionSpecRecord(session.spec), forKey: .spec)
        try record.encode(session.state.rawValue, forKey: .state)
        try record.encode(session.stateReason, forKey: .stateReason)
        try record.encodeIfPresent(session.clonedFrom?.rawValue, forKey: .clonedFrom)
        try record.encodeIfPresent(session.handle?.rawValue, forKey: .handle)
        try record.encodeIfPresent(session.connection.map(ConnectionRecord.init), forKey: .connection)
        try record.encode(session.createdAt, forKey: .createdAt)
        try record.encode(session.updatedAt, forKey: .updatedAt)
        try record.encode(session.revision, forKey: .revision)
    }
}
