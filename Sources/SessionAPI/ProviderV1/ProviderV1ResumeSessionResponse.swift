package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionProviderService.ResumeSession.
///
/// The `sessiongw.provider.v1.ResumeSessionResponse` message.
public struct ProviderV1ResumeSessionResponse: Sendable, Hashable {
    /// The session's status after the call.
    public var status: ProviderV1SessionStatus?

    /// Creates the message; every field defaults to its protobuf default.
    public init(status: ProviderV1SessionStatus? = nil) {
        self.status = status
    }
}

extension ProviderV1ResumeSessionResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__resume_session_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__ResumeSessionResponse>) {
        let c = cStruct.pointee
        status = c.status.map(ProviderV1SessionStatus.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__ResumeSessionResponse> {
        let message = arena.allocate(Sessiongw__Provider__V1__ResumeSessionResponse.self)
        sessiongw__provider__v1__resume_session_response__init(message)
        message.pointee.status = status?.cStruct(in: arena)
        return message
    }
}
