internal import CProtobufC
internal import CGRPCProtos
package import RPCTransport

/// A message of the public or the provider API: coded by libprotobuf-c like every
/// ``ProtobufCCodable``, except that decoding first refuses a string field holding a
/// NUL character (see ``WireStringCheck``), which protobuf-c would silently cut short.
package protocol APIMessage: ProtobufCCodable {}

extension APIMessage {
    /// Decodes a message, refusing strings with NUL characters.
    ///
    /// - Throws: ``RPCError`` `INVALID_ARGUMENT` naming the field, or
    ///   ``APIMessageDecodingError`` when the bytes are not a valid message.
    package init(protobufBytes bytes: UnsafeRawBufferPointer) throws {
        if let field = WireStringCheck.fieldContainingNUL(in: bytes, descriptor: Self.descriptor) {
            throw RPCError(.invalidArgument, "\(field) contains a NUL character")
        }
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard let unpacked = protobuf_c_message_unpack(Self.descriptor, nil, bytes.count, base) else {
            throw APIMessageDecodingError(messageName: String(cString: Self.descriptor.pointee.name))
        }
        defer { protobuf_c_message_free_unpacked(unpacked, nil) }
        self = try Self(cStruct: UnsafeMutableRawPointer(unpacked).assumingMemoryBound(to: CStruct.self))
    }
}

/// Why bytes could not be decoded into an API message.
struct APIMessageDecodingError: Error, CustomStringConvertible {
    /// The message type's full name, such as `sessiongw.v1.Session`.
    var messageName: String
    var description: String { "bytes are not a valid \(messageName) message" }
}
