package import CProtobufC
package import CGRPCProtos
package import RPCTransport

/// One response of `StreamingOutputCall`, `FullDuplexCall` and `HalfDuplexCall`
/// (`grpc.testing.StreamingOutputCallResponse`).
public struct StreamingOutputCallResponse: Sendable, Hashable {
    /// The payload of the requested size.
    public var payload: Payload?

    /// Creates a response.
    public init(payload: Payload? = nil) {
        self.payload = payload
    }
}

extension StreamingOutputCallResponse: ProtobufCCodable {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__testing__streaming_output_call_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Grpc__Testing__StreamingOutputCallResponse>) {
        payload = cStruct.pointee.payload.map(Payload.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Testing__StreamingOutputCallResponse> {
        let message = arena.allocate(Grpc__Testing__StreamingOutputCallResponse.self)
        grpc__testing__streaming_output_call_response__init(message)
        message.pointee.payload = payload?.cStruct(in: arena)
        return message
    }
}
