internal import GRPCCore

/// Passes message bytes through unchanged.
///
/// The benchmark's `EchoMessage { bytes payload = 1; }` echo returns exactly the bytes it
/// received, so echoing the serialized request is wire-identical to decoding and re-encoding
/// it, without building swift-protobuf and its code generator.
struct RawBytesSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes {
        Bytes(message)
    }
}

/// Takes message bytes as they arrive; see ``RawBytesSerializer``.
struct RawBytesDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}
