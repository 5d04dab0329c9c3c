package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionService.DeleteSession.
///
/// The `sessiongw.v1.DeleteSessionRequest` message.
public struct V1DeleteSessionRequest: Sendable, Hashable {
    /// The session's workspace; empty for "default".
    public var workspace: String
    /// The session's id.
    public var sessionID: String
    /// Delete even while the session holds compute (for example while RUNNING).
    public var force: Bool

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        workspace: String = "",
        sessionID: String = "",
        force: Bool = false
    ) {
        self.workspace = workspace
        self.sessionID = sessionID
        self.force = force
    }
}

extension V1DeleteSessionRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__delete_session_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__DeleteSessionRequest>) {
        let c = cStruct.pointee
        workspace = ProtobufCField.string(c.workspace)
        sessionID = ProtobufCField.string(c.session_id)
        force = c.force != 0
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__DeleteSessionRequest> {
        let message = arena.allocate(Sessiongw__V1__DeleteSessionRequest.self)
        sessiongw__v1__delete_session_request__init(message)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.session_id = arena.string(sessionID)
        message.pointee.force = force ? 1 : 0
        return message
    }
}
