internal import CProtobufC
internal import CGRPCProtos
package import RPCTransport

/// A message of the public or the provider API: coded by libprotobuf-c like every
/// ``ProtobufCCodable``, except that decoding first refuses a string field holding a
/// NUL character (see ``WireStringCheck``), which protobuf-c would silently cut short.
package protocol APIMessage: ProtobufCCodable {}

extension APIMessage {
    /// Refuses strings with NUL characters.
    ///
    /// - Throws: ``RPCError`` `INVALID_ARGUMENT` naming the field.
    package static func checkEncoding(_ bytes: UnsafeRawBufferPointer) throws {
        if let field = WireStringCheck.fieldContainingNUL(in: bytes, descriptor: Self.descriptor) {
            throw RPCError(.invalidArgument, "\(field) contains a NUL character")
        }
    }
}
