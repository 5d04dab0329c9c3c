package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionProviderService.ListSessions.
///
/// The `sessiongw.provider.v1.ListSessionsResponse` message.
public struct ProviderV1ListSessionsResponse: Sendable, Hashable {
    /// Every session the backend runs for this gateway.
    public var sessions: [ProviderV1SessionStatus]

    /// Creates the message; every field defaults to its protobuf default.
    public init(sessions: [ProviderV1SessionStatus] = []) {
        self.sessions = sessions
    }
}

extension ProviderV1ListSessionsResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__list_sessions_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__ListSessionsResponse>) {
        let c = cStruct.pointee
        sessions = ProtobufCField.messages(c.sessions, count: c.n_sessions, ProviderV1SessionStatus.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__ListSessionsResponse> {
        let message = arena.allocate(Sessiongw__Provider__V1__ListSessionsResponse.self)
        sessiongw__provider__v1__list_sessions_response__init(message)
        message.pointee.n_sessions = sessions.count
        message.pointee.sessions = arena.messages(sessions) { $0.cStruct(in: arena) }
        return message
    }
}
