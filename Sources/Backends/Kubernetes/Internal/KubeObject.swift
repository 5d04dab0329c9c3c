import Foundation

/// A Kubernetes object, or any part of one, as JSON: what the API server sends and
/// what the backend builds. Objects stay untyped so that fields the backend does not
/// know (added by controllers, admission, newer API versions) survive a
/// read-modify-write unchanged; the backend reads and writes only the fields it uses,
/// by path.
///
/// ```swift
/// var pod: KubeObject = try .parse(body)
/// let phase = pod["status"]["phase"].string
/// pod["metadata"]["labels"]["app"] = "x"
/// ```
enum KubeObject: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([KubeObject])
    case object([String: KubeObject])

    /// The member `key` of an object; `.null` for anything else or a missing key.
    /// Setting a member of `.null` makes it an object.
    subscript(key: String) -> KubeObject {
        get {
            if case .object(let members) = self { return members[key] ?? .null }
            return .null
        }
        set {
            var members: [String: KubeObject] = [:]
            if case .object(let existing) = self { members = existing }
            if newValue == .null {
                members.removeValue(forKey: key)
            } else {
                members[key] = newValue
            }
            self = .object(members)
        }
    }

    /// The text of a string.
    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// A whole number (also from a double without a fraction).
    var int: Int64? {
        switch self {
        case .int(let value): value
        case .double(let value) where value.rounded() == value: Int64(value)
        default: nil
        }
    }

    /// A boolean.
    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements of an array; empty for anything else.
    var array: [KubeObject] {
        if case .array(let elements) = self { return elements }
        return []
    }

    /// The members of an object; empty for anything else.
    var members: [String: KubeObject] {
        if case .object(let members) = self { return members }
        return [:]
    }

    /// Whether this is `.null` (absent).
    var isNull: Bool { self == .null }
}

extension KubeObject: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int64) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: KubeObject...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, KubeObject)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
    init(nilLiteral: ()) { self = .null }
}

extension KubeObject: Decodable {
    /// Decodes any JSON value.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([KubeObject].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: KubeObject].self))
        }
    }
}

extension KubeObject {
    /// Parses JSON text.
    ///
    /// - Throws: what `JSONDecoder` throws for text that is not JSON.
    static func parse(_ bytes: some Collection<UInt8>) throws -> KubeObject {
        try JSONDecoder().decode(KubeObject.self, from: Data(bytes))
    }

    /// Compact JSON with keys sorted, so the same object always gives the same bytes.
    var json: [UInt8] {
        var output: [UInt8] = []
        write(to: &output, indent: nil, level: 0)
        return output
    }

    /// JSON indented by two spaces with keys sorted, ending in a newline (golden files).
    var prettyJSON: String {
        var output: [UInt8] = []
        write(to: &output, indent: 2, level: 0)
        output.append(UInt8(ascii: "\n"))
        return String(decoding: output, as: UTF8.self)
    }

    private func write(to output: inout [UInt8], indent: Int?, level: Int) {
        func newline(_ level: Int) {
            guard let indent else { return }
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: indent * level))
        }
        switch self {
        case .null: output.append(contentsOf: Array("null".utf8))
        case .bool(let value): output.append(contentsOf: Array((value ? "true" : "false").utf8))
        case .int(let value): output.append(contentsOf: Array(String(value).utf8))
        case .double(let value):
            output.append(contentsOf: Array((value.isFinite ? "\(value)" : "null").utf8))
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(level + 1)
                element.write(to: &output, indent: indent, level: level + 1)
            }
            if !elements.isEmpty { newline(level) }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(level + 1)
                Self.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                if indent != nil { output.append(UInt8(ascii: " ")) }
                members[key]!.write(to: &output, indent: indent, level: level + 1)
            }
            if !members.isEmpty { newline(level) }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append(contentsOf: Array("\\\"".utf8))
            case "\\": output.append(contentsOf: Array("\\\\".utf8))
            case "\n": output.append(contentsOf: Array("\\n".utf8))
            case "\r": output.append(contentsOf: Array("\\r".utf8))
            case "\t": output.append(contentsOf: Array("\\t".utf8))
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output.append(contentsOf: Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8))
                } else {
                    output.append(contentsOf: Array(String(scalar).utf8))
                }
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
