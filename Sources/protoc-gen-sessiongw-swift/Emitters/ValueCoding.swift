/// How one value of a field kind is typed in Swift, read from a protoc-c struct and
/// written into one: the building block of the message emitter.
struct ValueCoding {
    /// The Swift type of one value, such as `String` or `V1Resources`.
    var swiftType: String
    /// The value a field holds when it is not on the wire.
    var defaultValue: String
    /// The C element type of a repeated field of this kind, such as `Int64`.
    var cElement: String
    /// The kind.
    var kind: ProtoField.Kind
    /// The registry entry of a message or enum.
    var entry: TypeRegistry.Entry?

    /// The coding of a field's values.
    init(_ field: ProtoField, registry: TypeRegistry) throws {
        kind = field.kind
        switch field.kind {
        case .double: (swiftType, defaultValue, cElement) = ("Double", "0", "Double")
        case .float: (swiftType, defaultValue, cElement) = ("Float", "0", "Float")
        case .int64, .sint64, .sfixed64: (swiftType, defaultValue, cElement) = ("Int64", "0", "Int64")
        case .uint64, .fixed64: (swiftType, defaultValue, cElement) = ("UInt64", "0", "UInt64")
        case .int32, .sint32, .sfixed32: (swiftType, defaultValue, cElement) = ("Int32", "0", "Int32")
        case .uint32, .fixed32: (swiftType, defaultValue, cElement) = ("UInt32", "0", "UInt32")
        case .bool: (swiftType, defaultValue, cElement) = ("Bool", "false", "protobuf_c_boolean")
        case .string: (swiftType, defaultValue, cElement) = ("String", "\"\"", "")
        case .bytes: (swiftType, defaultValue, cElement) = ("[UInt8]", "[]", "ProtobufCBinaryData")
        case .enumeration:
            let entry = try registry.entry(field.typeName)
            guard let type = entry.enumeration else { throw GeneratorError("'\(field.typeName)' is not an enum") }
            let zero = type.values.first { $0.number == 0 } ?? type.values[0]
            (swiftType, cElement) = (entry.swiftName, entry.cType)
            defaultValue = ".\(SwiftNames.escaped(SwiftNames.caseName(zero.name, enumName: type.name)))"
            self.entry = entry
        case .message:
            let entry = try registry.entry(field.typeName)
            (swiftType, defaultValue, cElement) = (entry.swiftName, "\(entry.swiftName)()", entry.cType)
            self.entry = entry
        case .group:
            throw GeneratorError("field '\(field.name)' is a group; groups are not supported")
        }
    }

    /// An expression reading the value at `c` (an expression of the C field's type).
    /// Messages read as optionals, except where the pointer is always set
    /// (`optionalMessage` false: a set oneof member, a map value).
    func read(_ c: String, optionalMessage: Bool = true) -> String {
        switch kind {
        case .string: "ProtobufCField.string(\(c))"
        case .bytes: "ProtobufCField.bytes(\(c))"
        case .bool: "\(c) != 0"
        case .enumeration: "\(swiftType)(\(c))"
        case .message: optionalMessage ? "\(c).map(\(swiftType).init(cStruct:))" : "\(c).map(\(swiftType).init(cStruct:)) ?? \(swiftType)()"
        default: c
        }
    }

    /// An expression of the C field's type for the Swift value `value`.
    func write(_ value: String, optionalMessage: Bool = true) -> String {
        switch kind {
        case .string: "arena.string(\(value))"
        case .bytes: "arena.binary(\(value))"
        case .bool: "\(value) ? 1 : 0"
        case .enumeration: "\(value).cValue"
        case .message: optionalMessage ? "\(value)?.cStruct(in: arena)" : "\(value).cStruct(in: arena)"
        default: value
        }
    }

    /// An expression reading a repeated field `name` of the struct `c`.
    func readRepeated(_ c: String, _ name: String) -> String {
        let array = "\(c).\(name), count: \(c).n_\(name)"
        switch kind {
        case .string: return "ProtobufCField.strings(\(array))"
        case .message: return "ProtobufCField.messages(\(array), \(swiftType).init(cStruct:))"
        case .bytes: return "ProtobufCField.array(\(array)).map(ProtobufCField.bytes)"
        case .bool: return "ProtobufCField.array(\(array)).map { $0 != 0 }"
        case .enumeration: return "ProtobufCField.array(\(array)).map { \(swiftType)($0) }"
        default: return "ProtobufCField.array(\(array))"
        }
    }

    /// An expression of the C array for the Swift array `value`.
    func writeRepeated(_ value: String) -> String {
        switch kind {
        case .string: "arena.strings(\(value))"
        case .message: "arena.messages(\(value)) { $0.cStruct(in: arena) }"
        case .bytes: "arena.array(\(value).map { arena.binary($0) })"
        case .bool: "arena.array(\(value).map { $0 ? protobuf_c_boolean(1) : 0 })"
        case .enumeration: "arena.array(\(value).map(\\.cValue))"
        default: "arena.array(\(value))"
        }
    }

    /// A `JSONValue` expression of the Swift value `value` in the proto3 JSON mapping.
    func json(_ value: String) -> String {
        switch kind {
        case .string: ".string(\(value))"
        case .bytes: "ProtoJSON.bytes(\(value))"
        case .bool: ".bool(\(value))"
        case .double: "ProtoJSON.double(\(value))"
        case .float: "ProtoJSON.float(\(value))"
        case .int64, .sint64, .sfixed64, .uint64, .fixed64: "ProtoJSON.int64(\(value))"
        case .int32, .sint32, .sfixed32, .uint32, .fixed32: "ProtoJSON.int32(\(value))"
        case .enumeration: "ProtoJSON.enumeration(name: \(value).protoName, number: \(value).rawValue)"
        case .message: "\(value).jsonValue(options: options)"
        case .group: ".null"
        }
    }

    /// A Boolean expression: whether the Swift value `value` differs from the
    /// default, so that the JSON printer includes it.
    func isSet(_ value: String) -> String {
        switch kind {
        case .string, .bytes: "!\(value).isEmpty"
        case .bool: value
        case .enumeration: "\(value).rawValue != 0"
        case .message: "true"
        default: "\(value) != 0"
        }
    }

    /// A map key as a JSON object member name: strings as they are, numbers in decimal.
    func jsonKey(_ value: String) -> String {
        kind == .string ? value : "String(\(value))"
    }

    /// Whether Swift can order values of this kind, as map keys must be for a
    /// deterministic encoding.
    var isComparable: Bool { kind != .bool && kind != .message && kind != .bytes && kind != .enumeration }
}
