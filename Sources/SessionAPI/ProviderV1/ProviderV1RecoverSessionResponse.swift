package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionProviderService.RecoverSession.
///
/// The `sessiongw.provider.v1.RecoverSessionResponse` message.
public struct ProviderV1RecoverSessionResponse: Sendable, Hashable {
    /// The session's status.
    public var status: ProviderV1SessionStatus?

    /// Creates the message; every field defaults to its protobuf default.
    public init(status: ProviderV1SessionStatus? = nil) {
        self.status = status
    }
}

extension ProviderV1RecoverSessionResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__recover_session_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__RecoverSessionResponse>) {
        let c = cStruct.pointee
        status = c.status.map(ProviderV1SessionStatus.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__RecoverSessionResponse> {
        let message = arena.allocate(Sessiongw__Provider__V1__RecoverSessionResponse.self)
        sessiongw__provider__v1__recover_session_response__init(message)
        message.pointee.status = status?.cStruct(in: arena)
        return message
    }
}
