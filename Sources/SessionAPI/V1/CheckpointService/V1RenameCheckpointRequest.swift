package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of CheckpointService.RenameCheckpoint.
///
/// The `sessiongw.v1.RenameCheckpointRequest` message.
public struct V1RenameCheckpointRequest: Sendable, Hashable {
    /// The checkpoint's workspace; empty for "default".
    public var workspace: String
    /// The checkpoint's id.
    public var checkpointID: String
    /// The new name; spaces become underscores.
    public var newName: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        workspace: String = "",
        checkpointID: String = "",
        newName: String = ""
    ) {
        self.workspace = workspace
        self.checkpointID = checkpointID
        self.newName = newName
    }
}

extension V1RenameCheckpointRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__rename_checkpoint_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__RenameCheckpointRequest>) {
        let c = cStruct.pointee
        workspace = ProtobufCField.string(c.workspace)
        checkpointID = ProtobufCField.string(c.checkpoint_id)
        newName = ProtobufCField.string(c.new_name)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__RenameCheckpointRequest> {
        let message = arena.allocate(Sessiongw__V1__RenameCheckpointRequest.self)
        sessiongw__v1__rename_checkpoint_request__init(message)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.checkpoint_id = arena.string(checkpointID)
        message.pointee.new_name = arena.string(newName)
        return message
    }
}
