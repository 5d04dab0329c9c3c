internal import RPCTransport
public import SessionSDK

extension Session {
    /// The session of a message, as a client reads it: the connection carries the URL
    /// only (access tokens are not part of `Session`), and there is no provider handle.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as `session.spec.image`.
    public init(_ message: V1Session, field: String = "session") throws(SessionError) {
        guard let spec = message.spec else { throw APIFieldRules.invalid("\(field).spec", "is required") }
        let url = try APIFieldRules.text(message.connectionURL, field: "\(field).connection_url")
        let clonedFrom = try APIFieldRules.text(
            message.clonedFromCheckpointID, field: "\(field).cloned_from_checkpoint_id")
        self.init(
            id: try SessionID(validating: message.id, field: "\(field).id"),
            workspace: try WorkspaceID(validating: message.workspace, field: "\(field).workspace"),
            name: try APIFieldRules.required(message.name, field: "\(field).name"),
            owner: try APIFieldRules.text(message.owner, field: "\(field).owner"),
            spec: try SessionSpec(spec, field: "\(field).spec"),
            state: try SessionState(message.state, field: "\(field).state"),
            stateReason: try APIFieldRules.text(message.stateReason, field: "\(field).state_reason"),
            clonedFrom: clonedFrom.isEmpty ? nil : CheckpointID(rawValue: clonedFrom),
            handle: nil,
            connection: url.isEmpty ? nil : Connection(url: url, accessToken: ""),
            createdAt: try APIFieldRules.time(message.createTime, field: "\(field).create_time"),
            updatedAt: try APIFieldRules.time(message.updateTime, field: "\(field).update_time"),
            revision: try APIFieldRules.nonNegative(message.revision, field: "\(field).revision")
        )
    }
}

extension V1Session {
    /// The message of a session for a response.
    ///
    /// Leaves out what callers must not see: the provider's handle and the connection's
    /// access token (only `GetSessionConnection` returns it); environment variables
    /// from secrets stay references. `dataLinks` starts empty: set it to the mounts the
    /// gateway derived for the session's compute environment.
    public init(_ session: Session, dataLinks: [DataLinkMount] = []) {
        self.init(
            id: session.id.rawValue,
            workspace: session.workspace.rawValue,
            name: session.name,
            owner: session.owner,
            spec: V1SessionSpec(session.spec),
            state: V1SessionState(session.state),
            stateReason: session.stateReason,
            clonedFromCheckpointID: session.clonedFrom?.rawValue ?? "",
            connectionURL: session.connection.map { Self.withoutCredentials($0.url) } ?? "",
            dataLinks: dataLinks.map(V1DataLink.init),
            createTime: ProtobufTimestamp(secondsSince1970: session.createdAt),
            updateTime: ProtobufTimestamp(secondsSince1970: session.updatedAt),
            revision: session.revision
        )
    }

    /// The URL without its query and fragment, where backends put access tokens: the
    /// full URL is only in `GetSessionConnection`'s answer.
    static func withoutCredentials(_ url: String) -> String {
        String(url.prefix { $0 != "?" && $0 != "#" })
    }
}
