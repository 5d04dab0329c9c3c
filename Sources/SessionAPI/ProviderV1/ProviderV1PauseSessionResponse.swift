package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionProviderService.PauseSession.
///
/// The `sessiongw.provider.v1.PauseSessionResponse` message.
public struct ProviderV1PauseSessionResponse: Sendable, Hashable {
    /// The session's status after the call.
    public var status: ProviderV1SessionStatus?

    /// Creates the message; every field defaults to its protobuf default.
    public init(status: ProviderV1SessionStatus? = nil) {
        self.status = status
    }
}

extension ProviderV1PauseSessionResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__pause_session_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__PauseSessionResponse>) {
        let c = cStruct.pointee
        status = c.status.map(ProviderV1SessionStatus.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__PauseSessionResponse> {
        let message = arena.allocate(Sessiongw__Provider__V1__PauseSessionResponse.self)
        sessiongw__provider__v1__pause_session_response__init(message)
        message.pointee.status = status?.cStruct(in: arena)
        return message
    }
}
