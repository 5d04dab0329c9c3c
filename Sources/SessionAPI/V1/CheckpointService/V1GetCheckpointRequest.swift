package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of CheckpointService.GetCheckpoint.
///
/// The `sessiongw.v1.GetCheckpointRequest` message.
public struct V1GetCheckpointRequest: Sendable, Hashable {
    /// The checkpoint's workspace; empty for "default".
    public var workspace: String
    /// The checkpoint's id.
    public var checkpointID: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(workspace: String = "", checkpointID: String = "") {
        self.workspace = workspace
        self.checkpointID = checkpointID
    }
}

extension V1GetCheckpointRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__get_checkpoint_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__GetCheckpointRequest>) {
        let c = cStruct.pointee
        workspace = ProtobufCField.string(c.workspace)
        checkpointID = ProtobufCField.string(c.checkpoint_id)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__GetCheckpointRequest> {
        let message = arena.allocate(Sessiongw__V1__GetCheckpointRequest.self)
        sessiongw__v1__get_checkpoint_request__init(message)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.checkpoint_id = arena.string(checkpointID)
        return message
    }
}
