package import CGRPCProtos

/// The kind of bytes in a ``Payload`` (`grpc.testing.PayloadType`).
///
/// Protobuf enums are open: a value this version does not know is kept as
/// ``unrecognized(_:)`` so that it survives decoding and encoding unchanged.
public enum PayloadType: RawRepresentable, Sendable, Hashable {
    /// Compressable text (`COMPRESSABLE`, 0), the only kind the interop tests use.
    case compressable
    /// A value with no case here.
    case unrecognized(Int32)

    /// The case for a wire value.
    public init(rawValue: Int32) {
        self = rawValue == 0 ? .compressable : .unrecognized(rawValue)
    }

    /// The wire value.
    public var rawValue: Int32 {
        switch self {
        case .compressable: 0
        case .unrecognized(let value): value
        }
    }
}

extension PayloadType {
    /// The case for the generated C enum.
    package init(_ value: Grpc__Testing__PayloadType) {
        self.init(rawValue: Int32(bitPattern: value.rawValue))
    }

    /// The generated C enum.
    package var cValue: Grpc__Testing__PayloadType {
        Grpc__Testing__PayloadType(rawValue: UInt32(bitPattern: rawValue))
    }
}
