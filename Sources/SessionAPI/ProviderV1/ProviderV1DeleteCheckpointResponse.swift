package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionProviderService.DeleteCheckpoint; empty.
///
/// The `sessiongw.provider.v1.DeleteCheckpointResponse` message.
public struct ProviderV1DeleteCheckpointResponse: Sendable, Hashable {
    /// Creates the message.
    public init() {}
}

extension ProviderV1DeleteCheckpointResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__delete_checkpoint_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__DeleteCheckpointResponse>) {}

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__DeleteCheckpointResponse> {
        let message = arena.allocate(Sessiongw__Provider__V1__DeleteCheckpointResponse.self)
        sessiongw__provider__v1__delete_checkpoint_response__init(message)
        return message
    }
}
