package import CProtobufC
package import CGRPCProtos
package import RPCTransport

/// The request of `StreamingOutputCall` and each request of `FullDuplexCall` and
/// `HalfDuplexCall` (`grpc.testing.StreamingOutputCallRequest`).
///
/// ```swift
/// let request = StreamingOutputCallRequest(responseParameters: [
///     ResponseParameters(size: 31_415), ResponseParameters(size: 9, intervalMicroseconds: 1_000),
/// ])
/// ```
public struct StreamingOutputCallRequest: Sendable, Hashable {
    /// The payload type wanted in the responses.
    public var responseType: PayloadType
    /// One entry for each response wanted.
    public var responseParameters: [ResponseParameters]
    /// A payload sent to the server.
    public var payload: Payload?
    /// A status the server must finish the call with.
    public var responseStatus: EchoStatus?

    /// Creates a request; every field defaults to its protobuf default.
    public init(
        responseType: PayloadType = .compressable,
        responseParameters: [ResponseParameters] = [],
        payload: Payload? = nil,
        responseStatus: EchoStatus? = nil
    ) {
        self.responseType = responseType
        self.responseParameters = responseParameters
        self.payload = payload
        self.responseStatus = responseStatus
    }
}

extension StreamingOutputCallRequest: ProtobufCCodable {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__testing__streaming_output_call_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Grpc__Testing__StreamingOutputCallRequest>) {
        let c = cStruct.pointee
        responseType = PayloadType(c.response_type)
        responseParameters = ProtobufCField.messages(
            c.response_parameters,
            count: c.n_response_parameters,
            ResponseParameters.init(cStruct:)
        )
        payload = c.payload.map(Payload.init(cStruct:))
        responseStatus = c.response_status.map(EchoStatus.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Testing__StreamingOutputCallRequest> {
        let message = arena.allocate(Grpc__Testing__StreamingOutputCallRequest.self)
        grpc__testing__streaming_output_call_request__init(message)
        message.pointee.response_type = responseType.cValue
        message.pointee.n_response_parameters = responseParameters.count
        message.pointee.response_parameters = arena.messages(responseParameters) { $0.cStruct(in: arena) }
        message.pointee.payload = payload?.cStruct(in: arena)
        message.pointee.response_status = responseStatus?.cStruct(in: arena)
        return message
    }
}
