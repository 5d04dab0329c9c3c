internal import GRPCCore

/// `sessiongw.benchmark.v1.StreamRequest`, decoded by hand: two varint fields,
/// `message_count = 1` and `payload_size = 2`; unknown fields are skipped.
struct StreamRequest {
    var messageCount: UInt32 = 0
    var payloadSize: UInt32 = 0

    /// The same limits as ours (`RPCInterop.EchoService`).
    static let maxMessageCount: UInt32 = 1_000_000
    static let maxPayloadSize: UInt32 = 4 * 1024 * 1024

    init(protobufBytes bytes: [UInt8]) throws {
        var index = 0
        func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count, shift < 64 {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            throw RPCError(code: .invalidArgument, message: "malformed StreamRequest")
        }
        while index < bytes.count {
            let key = try varint()
            switch (key >> 3, key & 7) {
            case (1, 0): messageCount = UInt32(truncatingIfNeeded: try varint())
            case (2, 0): payloadSize = UInt32(truncatingIfNeeded: try varint())
            case (_, 0): _ = try varint()
            case (_, 1): index += 8
            case (_, 2): index += Int(try varint())
            case (_, 5): index += 4
            default: throw RPCError(code: .invalidArgument, message: "malformed StreamRequest")
            }
        }
        guard index == bytes.count else {
            throw RPCError(code: .invalidArgument, message: "malformed StreamRequest")
        }
        guard messageCount <= Self.maxMessageCount, payloadSize <= Self.maxPayloadSize else {
            throw RPCError(code: .invalidArgument, message: "request too large")
        }
    }

    /// The encoding of an `EchoMessage` whose payload is `payloadSize` zero bytes.
    static func echoMessage(payloadSize: Int) -> [UInt8] {
        guard payloadSize > 0 else { return [] }
        var bytes: [UInt8] = [0x0a]
        var length = UInt64(payloadSize)
        while length >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        bytes.append(UInt8(length))
        bytes.append(contentsOf: repeatElement(0, count: payloadSize))
        return bytes
    }
}
