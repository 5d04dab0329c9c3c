package import CProtobufC
package import CGRPCProtos
package import RPCTransport

/// How to send one response of a streaming call (`grpc.testing.ResponseParameters`).
public struct ResponseParameters: Sendable, Hashable {
    /// The payload size of the response, in bytes.
    public var size: Int32
    /// The delay before sending the response, in microseconds.
    public var intervalMicroseconds: Int32
    /// Whether the response should be compressed.
    public var compressed: BoolValue?

    /// Creates the parameters of one response.
    public init(size: Int32 = 0, intervalMicroseconds: Int32 = 0, compressed: BoolValue? = nil) {
        self.size = size
        self.intervalMicroseconds = intervalMicroseconds
        self.compressed = compressed
    }
}

extension ResponseParameters: ProtobufCCodable {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__testing__response_parameters__init)
    }

    package init(cStruct: UnsafeMutablePointer<Grpc__Testing__ResponseParameters>) {
        size = cStruct.pointee.size
        intervalMicroseconds = cStruct.pointee.interval_us
        compressed = cStruct.pointee.compressed.map(BoolValue.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Testing__ResponseParameters> {
        let message = arena.allocate(Grpc__Testing__ResponseParameters.self)
        grpc__testing__response_parameters__init(message)
        message.pointee.size = size
        message.pointee.interval_us = intervalMicroseconds
        message.pointee.compressed = compressed?.cStruct(in: arena)
        return message
    }
}
