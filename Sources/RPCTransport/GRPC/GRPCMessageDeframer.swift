/// Splits a stream's body into gRPC length-prefixed messages: a compressed-flag byte,
/// a 4-byte big-endian length, then the message.
///
/// A message whose declared length exceeds the limit is reported as soon as its prefix
/// arrives, before any of it is buffered, so a peer cannot make the receiver hold more
/// than one maximum-size message per stream.
struct GRPCMessageDeframer {
    /// One complete message.
    struct Message {
        /// Whether the compressed flag was set.
        var compressed: Bool
        /// The message bytes.
        var bytes: [UInt8]
    }

    /// Why the body is not a valid sequence of gRPC messages.
    enum Failure: Error, Equatable {
        /// A declared length is over the limit.
        case tooLarge(length: Int, limit: Int)
        /// The compressed-flag byte is neither 0 nor 1.
        case invalidFlag(UInt8)
        /// The body ended in the middle of a message.
        case truncated
    }

    let maxMessageSize: Int
    private var prefix: [UInt8] = []
    private var current: [UInt8] = []
    private var expected: Int?
    private var compressed = false

    init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// Whether a message is partly received.
    var hasPartialMessage: Bool { !prefix.isEmpty || expected != nil }

    /// Consumes bytes, calling `deliver` for each message they complete. A message that
    /// arrives whole is copied once, straight out of `bytes`.
    mutating func append(_ bytes: UnsafeRawBufferPointer, deliver: (Message) -> Void) throws(Failure) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if let length = expected {
                let take = min(length - current.count, bytes.endIndex - index)
                current.append(contentsOf: bytes[index..<index + take])
                index += take
                if current.count == length {
                    deliver(Message(compressed: compressed, bytes: current))
                    current = []
                    expected = nil
                }
                continue
            }
            let length: Int
            if prefix.isEmpty, bytes.endIndex - index >= 5 {
                length = try readPrefix(bytes[index], bytes[index + 1], bytes[index + 2], bytes[index + 3], bytes[index + 4])
                index += 5
            } else {
                let take = min(5 - prefix.count, bytes.endIndex - index)
                prefix.append(contentsOf: bytes[index..<index + take])
                index += take
                guard prefix.count == 5 else { continue }
                length = try readPrefix(prefix[0], prefix[1], prefix[2], prefix[3], prefix[4])
                prefix.removeAll(keepingCapacity: true)
            }
            if bytes.endIndex - index >= length {
                deliver(Message(compressed: compressed, bytes: Array(UnsafeRawBufferPointer(rebasing: bytes[index..<index + length]))))
                index += length
            } else {
                expected = length
                current.reserveCapacity(length)
            }
        }
    }

    /// Reads a message prefix: the compressed flag and the length, checked.
    private mutating func readPrefix(_ flag: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8) throws(Failure) -> Int {
        guard flag <= 1 else { throw .invalidFlag(flag) }
        compressed = flag == 1
        let length = Int(b1) << 24 | Int(b2) << 16 | Int(b3) << 8 | Int(b4)
        guard length <= maxMessageSize else { throw .tooLarge(length: length, limit: maxMessageSize) }
        return length
    }

    /// Checks that the body ended on a message boundary.
    func finish() throws(Failure) {
        if hasPartialMessage { throw .truncated }
    }

    /// Frames a message for sending: flag 0, length, bytes.
    static func frame(_ message: [UInt8]) -> [UInt8] {
        var framed = [UInt8]()
        framed.reserveCapacity(message.count + 5)
        let length = UInt32(message.count)
        framed.append(0)
        framed.append(UInt8(length >> 24))
        framed.append(UInt8(length >> 16 & 0xFF))
        framed.append(UInt8(length >> 8 & 0xFF))
        framed.append(UInt8(length & 0xFF))
        framed.append(contentsOf: message)
        return framed
    }
}

extension GRPCMessageDeframer.Failure {
    /// The status that ends a call whose `direction` ("request" or "response") body is
    /// not a valid message sequence.
    func status(direction: String) -> RPCError {
        switch self {
        case .tooLarge(let length, let limit):
            RPCError(.resourceExhausted, "\(direction) message of \(length) bytes exceeds the limit of \(limit) bytes")
        case .invalidFlag(let flag):
            RPCError(.internalError, "invalid compressed-flag byte \(flag) in a \(direction) message prefix")
        case .truncated:
            RPCError(.internalError, "the \(direction) ended in the middle of a message")
        }
    }
}
