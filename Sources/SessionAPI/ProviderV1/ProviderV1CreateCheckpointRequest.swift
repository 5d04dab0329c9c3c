package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionProviderService.CreateCheckpoint.
///
/// The `sessiongw.provider.v1.CreateCheckpointRequest` message.
public struct ProviderV1CreateCheckpointRequest: Sendable, Hashable {
    /// The handle of the session to checkpoint.
    public var handle: String
    /// The checkpoint to take: id, session, name and trigger set by the gateway.
    public var checkpoint: ProviderV1Checkpoint?

    /// Creates the message; every field defaults to its protobuf default.
    public init(handle: String = "", checkpoint: ProviderV1Checkpoint? = nil) {
        self.handle = handle
        self.checkpoint = checkpoint
    }
}

extension ProviderV1CreateCheckpointRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__create_checkpoint_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__CreateCheckpointRequest>) {
        let c = cStruct.pointee
        handle = ProtobufCField.string(c.handle)
        checkpoint = c.checkpoint.map(ProviderV1Checkpoint.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__CreateCheckpointRequest> {
        let message = arena.allocate(Sessiongw__Provider__V1__CreateCheckpointRequest.self)
        sessiongw__provider__v1__create_checkpoint_request__init(message)
        message.pointee.handle = arena.string(handle)
        message.pointee.checkpoint = checkpoint?.cStruct(in: arena)
        return message
    }
}
