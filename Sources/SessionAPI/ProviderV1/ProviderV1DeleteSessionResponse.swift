package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionProviderService.DeleteSession; empty.
///
/// The `sessiongw.provider.v1.DeleteSessionResponse` message.
public struct ProviderV1DeleteSessionResponse: Sendable, Hashable {
    /// Creates the message.
    public init() {}
}

extension ProviderV1DeleteSessionResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__delete_session_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__DeleteSessionResponse>) {}

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__DeleteSessionResponse> {
        let message = arena.allocate(Sessiongw__Provider__V1__DeleteSessionResponse.self)
        sessiongw__provider__v1__delete_session_response__init(message)
        return message
    }
}
