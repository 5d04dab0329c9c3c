package import CGRPCProtos

/// A span of time: `google.protobuf.Duration`, seconds and nanoseconds of the same sign.
/// Its JSON is the seconds with an `s`, such as `3600s` or `1.500s`.
public struct ProtobufDuration: Sendable, Hashable, Comparable {
    /// Whole seconds.
    public var seconds: Int64
    /// Nanoseconds past `seconds`, with its sign: -999,999,999 to 999,999,999.
    public var nanos: Int32

    /// Creates a duration.
    public init(seconds: Int64 = 0, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    /// The duration of a Swift `Duration`, to the nanosecond.
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(seconds: seconds, nanos: Int32(attoseconds / 1_000_000_000))
    }

    /// The Swift `Duration`.
    public var duration: Duration { .seconds(seconds) + .nanoseconds(nanos) }

    public static func < (a: Self, b: Self) -> Bool { (a.seconds, a.nanos) < (b.seconds, b.nanos) }
}

extension ProtobufDuration {
    /// Reads the protoc-c struct.
    package init(cStruct: UnsafeMutablePointer<Google__Protobuf__Duration>) {
        self.init(seconds: cStruct.pointee.seconds, nanos: cStruct.pointee.nanos)
    }

    /// Builds the protoc-c struct in `arena`.
    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Google__Protobuf__Duration> {
        let message = arena.allocate(Google__Protobuf__Duration.self)
        google__protobuf__duration__init(message)
        message.pointee.seconds = seconds
        message.pointee.nanos = nanos
        return message
    }
}

extension ProtobufDuration: ProtoJSONEncodable {
    /// `[-]S[.fff|.ffffff|.fffffffff]s`, as protobuf's printers write it.
    package func jsonValue(options: ProtoJSONOptions) -> JSONValue {
        let negative = seconds < 0 || nanos < 0
        let magnitude = seconds.magnitude
        return .string("\(negative ? "-" : "")\(magnitude)\(ProtoJSON.fraction(Int32(nanos.magnitude)))s")
    }
}
