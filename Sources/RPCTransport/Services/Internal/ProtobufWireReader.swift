/// Reads the fields of a protobuf encoding without a schema, far enough to walk a
/// serialized `FileDescriptorProto`.
struct ProtobufWireReader {
    /// One field: its number and, for length-delimited fields, its bytes.
    struct Field {
        /// The field number.
        var number: Int
        /// The bytes of a length-delimited field (string, bytes, message); nil for
        /// varint and fixed-width fields.
        var bytes: ArraySlice<UInt8>?
    }

    /// Why bytes are not a protobuf encoding.
    struct MalformedError: Error, CustomStringConvertible {
        /// The byte offset where reading failed.
        var offset: Int
        var description: String { "malformed protobuf encoding at byte \(offset)" }
    }

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    /// A reader positioned at the first field of `bytes`.
    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    /// Every field in order.
    static func fields(of bytes: ArraySlice<UInt8>) throws -> [Field] {
        var reader = ProtobufWireReader(bytes)
        var fields: [Field] = []
        while let field = try reader.next() { fields.append(field) }
        return fields
    }

    /// The next field, or nil at the end. Groups (wire types 3 and 4) are rejected:
    /// proto3 has none.
    mutating func next() throws -> Field? {
        guard position < bytes.endIndex else { return nil }
        let key = try varint()
        let number = Int(key >> 3)
        guard number > 0 else { throw MalformedError(offset: position) }
        switch key & 7 {
        case 0:
            _ = try varint()
            return Field(number: number, bytes: nil)
        case 1:
            try skip(8)
            return Field(number: number, bytes: nil)
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.endIndex - position) else { throw MalformedError(offset: position) }
            let start = position
            position += Int(length)
            return Field(number: number, bytes: bytes[start..<position])
        case 5:
            try skip(4)
            return Field(number: number, bytes: nil)
        default:
            throw MalformedError(offset: position)
        }
    }

    private mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard position < bytes.endIndex else { throw MalformedError(offset: position) }
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte & 0x80 == 0 { return value }
        }
        throw MalformedError(offset: position)
    }

    private mutating func skip(_ count: Int) throws {
        guard bytes.endIndex - position >= count else { throw MalformedError(offset: position) }
        position += count
    }
}
