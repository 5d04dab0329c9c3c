package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionProviderService.ResumeSession.
///
/// The `sessiongw.provider.v1.ResumeSessionRequest` message.
public struct ProviderV1ResumeSessionRequest: Sendable, Hashable {
    /// The handle returned when the session was created.
    public var handle: String
    /// The session's current request; it may have been edited while paused.
    public var session: ProviderV1SessionRequest?

    /// Creates the message; every field defaults to its protobuf default.
    public init(handle: String = "", session: ProviderV1SessionRequest? = nil) {
        self.handle = handle
        self.session = session
    }
}

extension ProviderV1ResumeSessionRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__resume_session_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__ResumeSessionRequest>) {
        let c = cStruct.pointee
        handle = ProtobufCField.string(c.handle)
        session = c.session.map(ProviderV1SessionRequest.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__ResumeSessionRequest> {
        let message = arena.allocate(Sessiongw__Provider__V1__ResumeSessionRequest.self)
        sessiongw__provider__v1__resume_session_request__init(message)
        message.pointee.handle = arena.string(handle)
        message.pointee.session = session?.cStruct(in: arena)
        return message
    }
}
