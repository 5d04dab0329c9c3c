package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionProviderService.DescribeSession.
///
/// The `sessiongw.provider.v1.DescribeSessionRequest` message.
public struct ProviderV1DescribeSessionRequest: Sendable, Hashable {
    /// The handle returned when the session was created.
    public var handle: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(handle: String = "") {
        self.handle = handle
    }
}

extension ProviderV1DescribeSessionRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__describe_session_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__DescribeSessionRequest>) {
        let c = cStruct.pointee
        handle = ProtobufCField.string(c.handle)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__DescribeSessionRequest> {
        let message = arena.allocate(Sessiongw__Provider__V1__DescribeSessionRequest.self)
        sessiongw__provider__v1__describe_session_request__init(message)
        message.pointee.handle = arena.string(handle)
        return message
    }
}
