package import CProtobufC
package import CGRPCProtos
package import RPCTransport

/// One request of `StreamingInputCall` (`grpc.testing.StreamingInputCallRequest`).
public struct StreamingInputCallRequest: Sendable, Hashable {
    /// The payload sent.
    public var payload: Payload?
    /// Whether the server should expect this message compressed.
    public var expectCompressed: BoolValue?

    /// Creates a request.
    public init(payload: Payload? = nil, expectCompressed: BoolValue? = nil) {
        self.payload = payload
        self.expectCompressed = expectCompressed
    }
}

extension StreamingInputCallRequest: ProtobufCCodable {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__testing__streaming_input_call_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Grpc__Testing__StreamingInputCallRequest>) {
        payload = cStruct.pointee.payload.map(Payload.init(cStruct:))
        expectCompressed = cStruct.pointee.expect_compressed.map(BoolValue.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Testing__StreamingInputCallRequest> {
        let message = arena.allocate(Grpc__Testing__StreamingInputCallRequest.self)
        grpc__testing__streaming_input_call_request__init(message)
        message.pointee.payload = payload?.cStruct(in: arena)
        message.pointee.expect_compressed = expectCompressed?.cStruct(in: arena)
        return message
    }
}
