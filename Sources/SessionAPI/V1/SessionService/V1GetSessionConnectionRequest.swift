package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionService.GetSessionConnection.
///
/// The `sessiongw.v1.GetSessionConnectionRequest` message.
public struct V1GetSessionConnectionRequest: Sendable, Hashable {
    /// The session's workspace; empty for "default".
    public var workspace: String
    /// The session's id.
    public var sessionID: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(workspace: String = "", sessionID: String = "") {
        self.workspace = workspace
        self.sessionID = sessionID
    }
}

extension V1GetSessionConnectionRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__get_session_connection_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__GetSessionConnectionRequest>) {
        let c = cStruct.pointee
        workspace = ProtobufCField.string(c.workspace)
        sessionID = ProtobufCField.string(c.session_id)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__GetSessionConnectionRequest> {
        let message = arena.allocate(Sessiongw__V1__GetSessionConnectionRequest.self)
        sessiongw__v1__get_session_connection_request__init(message)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.session_id = arena.string(sessionID)
        return message
    }
}
