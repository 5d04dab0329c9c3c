package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionProviderService.CreateSession.
///
/// The `sessiongw.provider.v1.CreateSessionRequest` message.
public struct ProviderV1CreateSessionRequest: Sendable, Hashable {
    /// The session to start.
    public var session: ProviderV1SessionRequest?

    /// Creates the message; every field defaults to its protobuf default.
    public init(session: ProviderV1SessionRequest? = nil) {
        self.session = session
    }
}

extension ProviderV1CreateSessionRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__create_session_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__CreateSessionRequest>) {
        let c = cStruct.pointee
        session = c.session.map(ProviderV1SessionRequest.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__CreateSessionRequest> {
        let message = arena.allocate(Sessiongw__Provider__V1__CreateSessionRequest.self)
        sessiongw__provider__v1__create_session_request__init(message)
        message.pointee.session = session?.cStruct(in: arena)
        return message
    }
}
