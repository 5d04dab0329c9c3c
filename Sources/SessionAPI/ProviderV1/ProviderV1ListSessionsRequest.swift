package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionProviderService.ListSessions; empty.
///
/// The `sessiongw.provider.v1.ListSessionsRequest` message.
public struct ProviderV1ListSessionsRequest: Sendable, Hashable {
    /// Creates the message.
    public init() {}
}

extension ProviderV1ListSessionsRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__list_sessions_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__ListSessionsRequest>) {}

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__ListSessionsRequest> {
        let message = arena.allocate(Sessiongw__Provider__V1__ListSessionsRequest.self)
        sessiongw__provider__v1__list_sessions_request__init(message)
        return message
    }
}
