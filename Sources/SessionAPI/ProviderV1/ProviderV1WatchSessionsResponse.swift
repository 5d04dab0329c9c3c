package import CProtobufC
package import CProtos
package import RPCTransport

/// One event of SessionProviderService.WatchSessions.
///
/// The `sessiongw.provider.v1.WatchSessionsResponse` message.
public struct ProviderV1WatchSessionsResponse: Sendable, Hashable {
    /// A session's status after a change.
    public var status: ProviderV1SessionStatus?

    /// Creates the message; every field defaults to its protobuf default.
    public init(status: ProviderV1SessionStatus? = nil) {
        self.status = status
    }
}

extension ProviderV1WatchSessionsResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__watch_sessions_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__WatchSessionsResponse>) {
        let c = cStruct.pointee
        status = c.status.map(ProviderV1SessionStatus.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__WatchSessionsResponse> {
        let message = arena.allocate(Sessiongw__Provider__V1__WatchSessionsResponse.self)
        sessiongw__provider__v1__watch_sessions_response__init(message)
        message.pointee.status = status?.cStruct(in: arena)
        return message
    }
}
