package import CProtobufC
package import CGRPCProtos
package import RPCTransport

/// A boolean that can be absent (`grpc.testing.BoolValue`); the interop messages use
/// it for flags whose absence means "do not care".
public struct BoolValue: Sendable, Hashable {
    /// The flag.
    public var value: Bool

    /// Creates a flag.
    public init(_ value: Bool = false) {
        self.value = value
    }
}

extension BoolValue: ProtobufCCodable {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__testing__bool_value__init)
    }

    package init(cStruct: UnsafeMutablePointer<Grpc__Testing__BoolValue>) {
        value = cStruct.pointee.value != 0
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Testing__BoolValue> {
        let message = arena.allocate(Grpc__Testing__BoolValue.self)
        grpc__testing__bool_value__init(message)
        message.pointee.value = value ? 1 : 0
        return message
    }
}
