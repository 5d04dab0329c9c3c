package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionProviderService.DeleteCheckpoint.
///
/// The `sessiongw.provider.v1.DeleteCheckpointRequest` message.
public struct ProviderV1DeleteCheckpointRequest: Sendable, Hashable {
    /// The checkpoint to remove, as CreateCheckpoint returned it.
    public var checkpoint: ProviderV1Checkpoint?

    /// Creates the message; every field defaults to its protobuf default.
    public init(checkpoint: ProviderV1Checkpoint? = nil) {
        self.checkpoint = checkpoint
    }
}

extension ProviderV1DeleteCheckpointRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__delete_checkpoint_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__DeleteCheckpointRequest>) {
        let c = cStruct.pointee
        checkpoint = c.checkpoint.map(ProviderV1Checkpoint.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__DeleteCheckpointRequest> {
        let message = arena.allocate(Sessiongw__Provider__V1__DeleteCheckpointRequest.self)
        sessiongw__provider__v1__delete_checkpoint_request__init(message)
        message.pointee.checkpoint = checkpoint?.cStruct(in: arena)
        return message
    }
}
