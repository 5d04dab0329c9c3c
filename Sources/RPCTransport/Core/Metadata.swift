/// Ordered gRPC metadata: ASCII values, and binary values under keys ending in `-bin`.
///
/// Keys are stored lower-cased, as HTTP/2 requires. A key may repeat; order is kept.
/// On the wire, binary values are base64 encoded; both padded and unpadded base64 are
/// accepted on receipt.
///
/// ```swift
/// var metadata: Metadata = ["authorization": "Bearer t0k3n"]
/// metadata.add("trace-bin", .binary([0x01, 0x02]))
/// ```
public struct Metadata: Sendable, Hashable, ExpressibleByDictionaryLiteral, RandomAccessCollection {
    /// A metadata value.
    public enum Value: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// A printable ASCII value.
        case string(String)
        /// Arbitrary bytes, only under a key ending in `-bin`.
        case binary([UInt8])

        /// A string value from a literal.
        public init(stringLiteral value: String) { self = .string(value) }

        /// The string, or the base64 form of the bytes.
        public var description: String {
            switch self {
            case .string(let value): value
            case .binary(let bytes): Base64.encode(bytes, padded: true)
            }
        }
    }

    /// One entry.
    public struct Entry: Sendable, Hashable {
        /// The lower-cased key.
        public var key: String
        /// The value.
        public var value: Value
    }

    private var entries: [Entry]

    /// Creates empty metadata.
    public init() { entries = [] }

    /// Creates metadata from key-value pairs.
    public init(dictionaryLiteral elements: (String, Value)...) {
        entries = elements.map { Entry(key: $0.0.lowercased(), value: $0.1) }
    }

    /// Appends a value under a key (lower-cased).
    public mutating func add(_ key: String, _ value: Value) {
        entries.append(Entry(key: key.lowercased(), value: value))
    }

    /// Appends a string value under a key (lower-cased).
    public mutating func add(_ key: String, _ value: String) {
        add(key, .string(value))
    }

    /// Removes every value under a key.
    public mutating func removeAll(_ key: String) {
        let key = key.lowercased()
        entries.removeAll { $0.key == key }
    }

    /// Every value under a key, in order.
    public subscript(values key: String) -> [Value] {
        let key = key.lowercased()
        return entries.filter { $0.key == key }.map(\.value)
    }

    /// The first string value under a key.
    public subscript(string key: String) -> String? {
        let key = key.lowercased()
        for entry in entries where entry.key == key {
            if case .string(let value) = entry.value { return value }
        }
        return nil
    }

    /// The first binary value under a key.
    public subscript(binary key: String) -> [UInt8]? {
        let key = key.lowercased()
        for entry in entries where entry.key == key {
            if case .binary(let value) = entry.value { return value }
        }
        return nil
    }

    public var startIndex: Int { entries.startIndex }
    public var endIndex: Int { entries.endIndex }
    public subscript(position: Int) -> Entry { entries[position] }
}
