package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionService.CloneSession.
///
/// The `sessiongw.v1.CloneSessionRequest` message.
public struct V1CloneSessionRequest: Sendable, Hashable {
    /// The workspace of the checkpoint and of the new session; empty for "default".
    public var workspace: String
    /// The checkpoint to start from; any checkpoint except one the source session is
    /// currently running from.
    public var checkpointID: String
    /// The new session's name, unique in the workspace.
    public var name: String
    /// An image of the same preset to use instead of the source session's; empty to
    /// keep it.
    public var image: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        workspace: String = "",
        checkpointID: String = "",
        name: String = "",
        image: String = ""
    ) {
        self.workspace = workspace
        self.checkpointID = checkpointID
        self.name = name
        self.image = image
    }
}

extension V1CloneSessionRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__clone_session_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__CloneSessionRequest>) {
        let c = cStruct.pointee
        workspace = ProtobufCField.string(c.workspace)
        checkpointID = ProtobufCField.string(c.checkpoint_id)
        name = ProtobufCField.string(c.name)
        image = ProtobufCField.string(c.image)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__CloneSessionRequest> {
        let message = arena.allocate(Sessiongw__V1__CloneSessionRequest.self)
        sessiongw__v1__clone_session_request__init(message)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.checkpoint_id = arena.string(checkpointID)
        message.pointee.name = arena.string(name)
        message.pointee.image = arena.string(image)
        return message
    }
}
