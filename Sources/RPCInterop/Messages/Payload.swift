package import CProtobufC
package import CGRPCProtos
package import RPCTransport

/// Bytes carried by a request or a response (`grpc.testing.Payload`).
public struct Payload: Sendable, Hashable {
    /// The kind of bytes.
    public var type: PayloadType
    /// The bytes themselves.
    public var body: [UInt8]

    /// Creates a payload.
    public init(type: PayloadType = .compressable, body: [UInt8] = []) {
        self.type = type
        self.body = body
    }

    /// A compressable payload of `size` zero bytes, as the interop tests expect.
    public init(zeros size: Int) {
        self.init(type: .compressable, body: [UInt8](repeating: 0, count: size))
    }
}

extension Payload: ProtobufCCodable {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__testing__payload__init)
    }

    package init(cStruct: UnsafeMutablePointer<Grpc__Testing__Payload>) {
        type = PayloadType(cStruct.pointee.type)
        body = ProtobufCField.bytes(cStruct.pointee.body)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Testing__Payload> {
        let message = arena.allocate(Grpc__Testing__Payload.self)
        grpc__testing__payload__init(message)
        message.pointee.type = type.cValue
        message.pointee.body = arena.binary(body)
        return message
    }
}
