package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionService.CreateSession.
///
/// The `sessiongw.v1.CreateSessionRequest` message.
public struct V1CreateSessionRequest: Sendable, Hashable {
    /// The workspace to create the session in; empty for "default".
    public var workspace: String
    /// The session's name, unique in the workspace.
    public var name: String
    /// What to create.
    public var spec: V1SessionSpec?

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        workspace: String = "",
        name: String = "",
        spec: V1SessionSpec? = nil
    ) {
        self.workspace = workspace
        self.name = name
        self.spec = spec
    }
}

extension V1CreateSessionRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__create_session_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__CreateSessionRequest>) {
        let c = cStruct.pointee
        workspace = ProtobufCField.string(c.workspace)
        name = ProtobufCField.string(c.name)
        spec = c.spec.map(V1SessionSpec.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__CreateSessionRequest> {
        let message = arena.allocate(Sessiongw__V1__CreateSessionRequest.self)
        sessiongw__v1__create_session_request__init(message)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.name = arena.string(name)
        message.pointee.spec = spec?.cStruct(in: arena)
        return message
    }
}
