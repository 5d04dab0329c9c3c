package import CGRPCProtos

/// A point in time: `google.protobuf.Timestamp`, seconds and nanoseconds since the Unix
/// epoch in UTC. Its JSON is an RFC 3339 date, such as `2026-12-06T19:55:06.250Z`.
public struct ProtobufTimestamp: Sendable, Hashable, Comparable {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64
    /// Nanoseconds past `seconds`, 0 to 999,999,999.
    public var nanos: Int32

    /// Creates a timestamp.
    public init(seconds: Int64 = 0, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    /// The timestamp of a time in seconds since the Unix epoch.
    public init(secondsSince1970 value: Double) {
        let whole = value.rounded(.down)
        self.init(seconds: Int64(whole), nanos: Int32(min(999_999_999, ((value - whole) * 1e9).rounded())))
    }

    /// The time in seconds since the Unix epoch.
    public var secondsSince1970: Double { Double(seconds) + Double(nanos) / 1e9 }

    public static func < (a: Self, b: Self) -> Bool { (a.seconds, a.nanos) < (b.seconds, b.nanos) }
}

extension ProtobufTimestamp {
    /// Reads the protoc-c struct.
    package init(cStruct: UnsafeMutablePointer<Google__Protobuf__Timestamp>) {
        self.init(seconds: cStruct.pointee.seconds, nanos: cStruct.pointee.nanos)
    }

    /// Builds the protoc-c struct in `arena`.
    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Google__Protobuf__Timestamp> {
        let message = arena.allocate(Google__Protobuf__Timestamp.self)
        google__protobuf__timestamp__init(message)
        message.pointee.seconds = seconds
        message.pointee.nanos = nanos
        return message
    }
}

extension ProtobufTimestamp: ProtoJSONEncodable {
    /// `YYYY-MM-DDThh:mm:ss[.fff|.ffffff|.fffffffff]Z`, as protobuf's printers write it.
    package func jsonValue(options: ProtoJSONOptions) -> JSONValue {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        let (year, month, day) = Self.civil(daysSince1970: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let date = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        let time = "\(pad(second / 3600, 2)):\(pad(second / 60 % 60, 2)):\(pad(second % 60, 2))"
        return .string("\(date)T\(time)\(ProtoJSON.fraction(nanos))Z")
    }

    /// The proleptic Gregorian date of a day count (Howard Hinnant's `civil_from_days`).
    private static func civil(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
