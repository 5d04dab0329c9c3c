package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionProviderService.CreateSession.
///
/// The `sessiongw.provider.v1.CreateSessionResponse` message.
public struct ProviderV1CreateSessionResponse: Sendable, Hashable {
    /// The new (or existing) session's status, with its handle.
    public var status: ProviderV1SessionStatus?

    /// Creates the message; every field defaults to its protobuf default.
    public init(status: ProviderV1SessionStatus? = nil) {
        self.status = status
    }
}

extension ProviderV1CreateSessionResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__create_session_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__CreateSessionResponse>) {
        let c = cStruct.pointee
        status = c.status.map(ProviderV1SessionStatus.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__CreateSessionResponse> {
        let message = arena.allocate(Sessiongw__Provider__V1__CreateSessionResponse.self)
        sessiongw__provider__v1__create_session_response__init(message)
        message.pointee.status = status?.cStruct(in: arena)
        return message
    }
}
