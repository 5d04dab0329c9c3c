package import CProtobufC

/// An ``RPCMessage`` encoded and decoded by libprotobuf-c through the struct `protoc-c`
/// generated for it.
///
/// A conforming type reads itself from an unpacked C struct and builds one in an arena;
/// libprotobuf-c does the wire encoding both ways, including the checks that reject
/// malformed input. protoc-gen-sessiongw-swift writes the conformances, with
/// ``RPCMessage``'s requirements answered by ``decodedWithProtobufC(_:)`` and
/// ``encodedWithProtobufC()``.
package protocol ProtobufCCodable: RPCMessage {
    /// The generated C struct.
    associatedtype CStruct

    /// The generated `*__descriptor`.
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { get }

    /// Reads the message from an unpacked struct. Throw when a field is semantically
    /// invalid in a way the wire format cannot express.
    init(cStruct: UnsafeMutablePointer<CStruct>) throws

    /// Builds the struct, allocating everything it points to in `arena`.
    func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<CStruct>

    /// Checks the encoded bytes before libprotobuf-c unpacks them, for what it would
    /// accept silently; nothing by default.
    static func checkEncoding(_ bytes: UnsafeRawBufferPointer) throws
}

/// Why bytes could not be decoded into a message.
package struct ProtobufCDecodingError: Error, CustomStringConvertible {
    /// The message type's full name.
    package var messageName: String
    package var description: String { "bytes are not a valid \(messageName) message" }
}

extension ProtobufCCodable {
    package static func checkEncoding(_ bytes: UnsafeRawBufferPointer) throws {}

    /// Decodes `bytes` with libprotobuf-c after ``checkEncoding(_:)``.
    package static func decodedWithProtobufC(_ bytes: UnsafeRawBufferPointer) throws -> Self {
        try checkEncoding(bytes)
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard let unpacked = protobuf_c_message_unpack(Self.descriptor, nil, bytes.count, base) else {
            throw ProtobufCDecodingError(messageName: String(cString: Self.descriptor.pointee.name))
        }
        defer { protobuf_c_message_free_unpacked(unpacked, nil) }
        let typed = UnsafeMutableRawPointer(unpacked).assumingMemoryBound(to: CStruct.self)
        return try Self(cStruct: typed)
    }

    /// Encodes the message with libprotobuf-c.
    package func encodedWithProtobufC() throws -> [UInt8] {
        let arena = ProtobufCArena()
        let message = UnsafeMutableRawPointer(cStruct(in: arena)).assumingMemoryBound(to: ProtobufCMessage.self)
        let size = protobuf_c_message_get_packed_size(message)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = size == 0 ? 0 : protobuf_c_message_pack(message, buffer.baseAddress)
        }
    }
}
