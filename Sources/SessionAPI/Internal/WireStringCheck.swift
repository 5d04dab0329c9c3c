internal import CProtobufC
internal import CGRPCProtos

/// Finds string fields whose bytes contain NUL before protobuf-c unpacks a message.
///
/// protobuf-c stores strings as C strings: it unpacks `"admin\0evil"` as `"admin"`
/// without complaint, which would let a request address an object it did not name.
/// This scan walks the wire format with the message's descriptor, recursing into
/// nested messages (map entries included), and reports the first string field that
/// holds a NUL byte. Malformed input is left to protobuf-c to refuse.
enum WireStringCheck {
    /// The dotted path of the first string field in `bytes` that contains a NUL byte,
    /// such as `spec.env.name`; nil when there is none or the bytes are malformed.
    static func fieldContainingNUL(
        in bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>
    ) -> String? {
        var reader = Reader(bytes: bytes)
        return scan(&reader, end: bytes.count, descriptor: descriptor, depth: 0)
    }

    /// Deeper nesting than any message of the API has; stops runaway input.
    private static let maximumDepth = 64

    private static func scan(
        _ reader: inout Reader, end: Int, descriptor: UnsafePointer<ProtobufCMessageDescriptor>, depth: Int
    ) -> String? {
        guard depth < maximumDepth else { return nil }
        while reader.offset < end {
            guard let tag = reader.varint(), let number = UInt32(exactly: tag >> 3) else { return nil }
            switch tag & 7 {
            case 0: guard reader.varint() != nil else { return nil }
            case 1: guard reader.skip(8, end: end) else { return nil }
            case 5: guard reader.skip(4, end: end) else { return nil }
            case 2:
                guard let length = reader.varint(), let count = Int(exactly: length), count <= end - reader.offset else {
                    return nil
                }
                let start = reader.offset
                reader.offset += count
                guard let field = protobuf_c_message_descriptor_get_field(descriptor, number) else { continue }
                let name = String(cString: field.pointee.name)
                switch field.pointee.type {
                case PROTOBUF_C_TYPE_STRING:
                    if reader.bytes[start..<start + count].contains(0) { return name }
                case PROTOBUF_C_TYPE_MESSAGE:
                    guard let nested = field.pointee.descriptor else { continue }
                    var inner = Reader(bytes: reader.bytes, offset: start)
                    let nestedDescriptor = nested.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
                    if let path = scan(&inner, end: start + count, descriptor: nestedDescriptor, depth: depth + 1) {
                        return "\(name).\(path)"
                    }
                default:
                    break
                }
            default:
                return nil
            }
        }
        return nil
    }

    /// A cursor over wire bytes.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        /// A base-128 varint of at most 10 bytes; nil when the bytes end first.
        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 70, by: 7) {
                guard offset < bytes.count else { return nil }
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte < 0x80 { return value }
            }
            return nil
        }

        mutating func skip(_ count: Int, end: Int) -> Bool {
            guard count <= end - offset else { return false }
            offset += count
            return true
        }
    }
}
