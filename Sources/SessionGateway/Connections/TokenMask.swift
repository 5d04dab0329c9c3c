/// Replaces every occurrence of a secret in a stream of bytes with as many `*`, so
/// that a response body never carries the backend's access token to the user and its
/// length (and `Content-Length`) stays the same. Bytes that could begin an occurrence
/// split across chunks are held back until the next chunk or ``finish()``.
struct TokenMask {
    private let secret: [UInt8]
    private var held: [UInt8] = []

    /// A mask for `secret`; an empty secret passes everything through.
    init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    /// The bytes of `chunk` that can be sent now, masked.
    mutating func process(_ chunk: [UInt8]) -> [UInt8] {
        guard !secret.isEmpty else { return chunk }
        var bytes = held + chunk
        var index = 0
        let first = secret[0]
        while index + secret.count <= bytes.count {
            if bytes[index] == first, bytes[index..<index + secret.count].elementsEqual(secret) {
                for position in index..<index + secret.count { bytes[position] = UInt8(ascii: "*") }
                index += secret.count
            } else {
                index += 1
            }
        }
        // Keep back the longest unscanned tail that is a prefix of the secret.
        var keep = bytes.count - index
        while keep > 0, !bytes[(bytes.count - keep)...].elementsEqual(secret[..<keep]) { keep -= 1 }
        held = Array(bytes[(bytes.count - keep)...])
        return Array(bytes[..<(bytes.count - keep)])
    }

    /// What is still held back, at the end of the body.
    mutating func finish() -> [UInt8] {
        defer { held = [] }
        return held
    }
}
