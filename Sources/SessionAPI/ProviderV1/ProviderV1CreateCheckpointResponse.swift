package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionProviderService.CreateCheckpoint.
///
/// The `sessiongw.provider.v1.CreateCheckpointResponse` message.
public struct ProviderV1CreateCheckpointResponse: Sendable, Hashable {
    /// The checkpoint taken, with `location` and `size_bytes` filled in.
    public var checkpoint: ProviderV1Checkpoint?

    /// Creates the message; every field defaults to its protobuf default.
    public init(checkpoint: ProviderV1Checkpoint? = nil) {
        self.checkpoint = checkpoint
    }
}

extension ProviderV1CreateCheckpointResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__create_checkpoint_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__CreateCheckpointResponse>) {
        let c = cStruct.pointee
        checkpoint = c.checkpoint.map(ProviderV1Checkpoint.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__CreateCheckpointResponse> {
        let message = arena.allocate(Sessiongw__Provider__V1__CreateCheckpointResponse.self)
        sessiongw__provider__v1__create_checkpoint_response__init(message)
        message.pointee.checkpoint = checkpoint?.cStruct(in: arena)
        return message
    }
}
