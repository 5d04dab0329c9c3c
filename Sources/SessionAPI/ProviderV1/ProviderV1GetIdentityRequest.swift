package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionProviderService.GetIdentity; empty.
///
/// The `sessiongw.provider.v1.GetIdentityRequest` message.
public struct ProviderV1GetIdentityRequest: Sendable, Hashable {
    /// Creates the message.
    public init() {}
}

extension ProviderV1GetIdentityRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__get_identity_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__GetIdentityRequest>) {}

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__GetIdentityRequest> {
        let message = arena.allocate(Sessiongw__Provider__V1__GetIdentityRequest.self)
        sessiongw__provider__v1__get_identity_request__init(message)
        return message
    }
}
