internal import Glibc

/// A message with the proto3 JSON mapping, written by protoc-gen-sessiongw-swift.
///
/// The mapping is protobuf's canonical one, as `json_format.MessageToJson` and
/// `grpcurl` print it: fields by their JSON names (lowerCamelCase), 64-bit integers
/// as strings, enums by value name (by number when this version does not know the
/// value), bytes in base64, non-finite numbers as `"NaN"`, `"Infinity"` and
/// `"-Infinity"`, maps as objects, and absent messages left out.
package protocol ProtoJSONEncodable {
    /// The message's JSON.
    func jsonValue(options: ProtoJSONOptions) -> JSONValue
}

extension ProtoJSONEncodable {
    /// The message's JSON with the default options.
    package var jsonValue: JSONValue { jsonValue(options: ProtoJSONOptions()) }
}

/// Choices of the proto3 JSON printer, named as Python's `json_format` names them.
package struct ProtoJSONOptions: Sendable {
    /// Whether fields without presence print when they hold their default value (an
    /// empty string, 0, an empty list); fields with presence (messages, oneofs,
    /// `optional`) print only when set either way.
    package var alwaysPrintFieldsWithNoPresence: Bool

    /// Creates options; by default default values are left out, as protobuf does.
    package init(alwaysPrintFieldsWithNoPresence: Bool = false) {
        self.alwaysPrintFieldsWithNoPresence = alwaysPrintFieldsWithNoPresence
    }
}

/// The proto3 JSON forms of scalar values, for the generated code.
package enum ProtoJSON {
    /// A 64-bit integer: a string, so that JavaScript loses no precision.
    package static func int64(_ value: some FixedWidthInteger) -> JSONValue { .string(String(value)) }

    /// A 32-bit integer: a number.
    package static func int32(_ value: some FixedWidthInteger) -> JSONValue { .int(Int64(value)) }

    /// A `double`: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
    package static func double(_ value: Double) -> JSONValue {
        if value.isNaN { return .string("NaN") }
        if value.isInfinite { return .string(value < 0 ? "-Infinity" : "Infinity") }
        return .double(value)
    }

    /// A `float`: as ``double(_:)``, with the digits protobuf's own printers use: the
    /// fewest from 6 (`FLT_DIG`) up that read back as the same `float` (0.1, not
    /// 0.10000000149011612; 1.4013e-45 for the least subnormal).
    package static func float(_ value: Float) -> JSONValue {
        guard value.isFinite else { return double(Double(value)) }
        for precision in 6...9 {
            var buffer = [CChar](repeating: 0, count: 40)
            _ = withVaList([Double(value)]) { vsnprintf(&buffer, buffer.count, "%.\(precision)g", $0) }
            if let digits = Double(String(cString: buffer)), Float(digits) == value { return .double(digits) }
        }
        return .double(Double(value))
    }

    /// A `bytes` value: standard base64 with padding.
    package static func bytes(_ value: [UInt8]) -> JSONValue { .string(Base64.encode(value, padded: true)) }

    /// The fraction of a second of a timestamp or duration: nothing, or 3, 6 or 9
    /// digits after a point, as protobuf's printers write it.
    package static func fraction(_ nanos: Int32) -> String {
        guard nanos != 0 else { return "" }
        let digits = String(nanos)
        let padded = String(repeating: "0", count: 9 - digits.count) + digits
        if nanos % 1_000_000 == 0 { return "." + padded.prefix(3) }
        if nanos % 1_000 == 0 { return "." + padded.prefix(6) }
        return "." + padded
    }

    /// An enum value: its name, or its number when it has none here.
    package static func enumeration(name: String?, number: Int32) -> JSONValue {
        name.map(JSONValue.string) ?? .int(Int64(number))
    }
}
