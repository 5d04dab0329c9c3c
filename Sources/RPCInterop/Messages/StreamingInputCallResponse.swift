package import CProtobufC
package import CGRPCProtos
package import RPCTransport

/// The response of `StreamingInputCall` (`grpc.testing.StreamingInputCallResponse`).
public struct StreamingInputCallResponse: Sendable, Hashable {
    /// The total size of the payloads received, in bytes.
    public var aggregatedPayloadSize: Int32

    /// Creates a response.
    public init(aggregatedPayloadSize: Int32 = 0) {
        self.aggregatedPayloadSize = aggregatedPayloadSize
    }
}

extension StreamingInputCallResponse: ProtobufCCodable {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__testing__streaming_input_call_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Grpc__Testing__StreamingInputCallResponse>) {
        aggregatedPayloadSize = cStruct.pointee.aggregated_payload_size
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Testing__StreamingInputCallResponse> {
        let message = arena.allocate(Grpc__Testing__StreamingInputCallResponse.self)
        grpc__testing__streaming_input_call_response__init(message)
        message.pointee.aggregated_payload_size = aggregatedPayloadSize
        return message
    }
}
