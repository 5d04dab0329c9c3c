package import CProtobufC
package import CProtos
package import RPCTransport

/// The request and response of the benchmark echo (`sessiongw.benchmark.v1.EchoMessage`).
public struct EchoMessage: Sendable, Hashable {
    /// The bytes echoed.
    public var payload: [UInt8]

    /// Creates a message.
    public init(payload: [UInt8] = []) {
        self.payload = payload
    }
}

extension EchoMessage: ProtobufCCodable {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__benchmark__v1__echo_message__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Benchmark__V1__EchoMessage>) {
        payload = ProtobufCField.bytes(cStruct.pointee.payload)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Benchmark__V1__EchoMessage> {
        let message = arena.allocate(Sessiongw__Benchmark__V1__EchoMessage.self)
        sessiongw__benchmark__v1__echo_message__init(message)
        message.pointee.payload = arena.binary(payload)
        return message
    }
}
