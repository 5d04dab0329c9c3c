package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionProviderService.RecoverSession.
///
/// The `sessiongw.provider.v1.RecoverSessionRequest` message.
public struct ProviderV1RecoverSessionRequest: Sendable, Hashable {
    /// The handle the gateway stored before it restarted.
    public var handle: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(handle: String = "") {
        self.handle = handle
    }
}

extension ProviderV1RecoverSessionRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__recover_session_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__RecoverSessionRequest>) {
        let c = cStruct.pointee
        handle = ProtobufCField.string(c.handle)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__RecoverSessionRequest> {
        let message = arena.allocate(Sessiongw__Provider__V1__RecoverSessionRequest.self)
        sessiongw__provider__v1__recover_session_request__init(message)
        message.pointee.handle = arena.string(handle)
        return message
    }
}
