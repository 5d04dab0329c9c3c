package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionProviderService.WatchSessions; empty.
///
/// The `sessiongw.provider.v1.WatchSessionsRequest` message.
public struct ProviderV1WatchSessionsRequest: Sendable, Hashable {
    /// Creates the message.
    public init() {}
}

extension ProviderV1WatchSessionsRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__watch_sessions_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__WatchSessionsRequest>) {}

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__WatchSessionsRequest> {
        let message = arena.allocate(Sessiongw__Provider__V1__WatchSessionsRequest.self)
        sessiongw__provider__v1__watch_sessions_request__init(message)
        return message
    }
}
