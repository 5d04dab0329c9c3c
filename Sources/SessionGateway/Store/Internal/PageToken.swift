import Foundation
import SessionSDK

/// The position a page ended at: the sort key of its last item, and a fingerprint of
/// the query that produced it.
struct PageToken: Codable, Equatable, Sendable {
    /// The fingerprint of the query (kind, workspace, filters).
    var query: UInt64
    /// The last item's time as the bit pattern of its `Double`, so it round-trips exactly.
    var time: UInt64
    /// The last item's id (text ids) or sequence number (events).
    var id: String

    private enum CodingKeys: String, CodingKey {
        case query = "q", time = "t", id = "i"
    }

    /// A token after an item created at `time` with this id.
    init(query: UInt64, time: Double, id: String) {
        self.query = query
        self.time = time.bitPattern
        self.id = id
    }

    /// The last item's time.
    var createdAt: Double { Double(bitPattern: time) }
}

/// Turns ``PageToken``s into opaque strings and back, refusing anything it did not issue.
///
/// A token is `base64url(json ‖ checksum)`, the checksum being 64-bit FNV-1a keyed
/// with a random secret kept in the store, so tokens survive restarts. The checksum
/// catches corrupted and edited tokens; it is not a security boundary, and need not
/// be: every query is scoped to the caller's workspace, so a forged position can only
/// skip through results the caller may see anyway.
struct PageTokenCodec: Sendable {
    /// The key of the checksum.
    let secret: [UInt8]

    /// The error for every token this codec did not issue.
    static let invalid = SessionError(.invalidArgument, "page token is invalid")

    /// A new random secret, as hex.
    static func makeSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            return String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }.joined()
    }

    /// A codec keyed with a secret in hex.
    init(secretHex: String) {
        let digits = Array(secretHex.utf8)
        secret = stride(from: 0, to: digits.count - 1, by: 2).map { index in
            UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) ?? 0
        }
    }

    /// The opaque string for a token.
    func encode(_ token: PageToken) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Encoding three plain fields cannot fail.
        var bytes = Array((try? encoder.encode(token)) ?? Data())
        withUnsafeBytes(of: checksum(bytes).bigEndian) { bytes.append(contentsOf: $0) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The token a string stands for; `nil` for an empty string (the first page).
    ///
    /// - Throws: `INVALID_ARGUMENT` "page token is invalid" for anything this store did
    ///   not issue, or issued for a different query.
    func decode(_ text: String, query: UInt64) throws(SessionError) -> PageToken? {
        guard !text.isEmpty else { return nil }
        guard text.utf8.count <= 1024 else { throw Self.invalid }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), data.count > 8 else { throw Self.invalid }
        let bytes = Array(data)
        let payload = Array(bytes.dropLast(8))
        let stored = bytes.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard stored == checksum(payload),
              let token = try? JSONDecoder().decode(PageToken.self, from: Data(payload))
        else { throw Self.invalid }
        guard token.query == query else {
            throw SessionError(
                .invalidArgument, "page token is invalid: it was issued for a different query; start again without one")
        }
        return token
    }

    private func checksum(_ payload: [UInt8]) -> UInt64 {
        Fingerprint.fnv1a(secret + payload)
    }
}

/// Stable 64-bit fingerprints of queries.
enum Fingerprint {
    /// 64-bit FNV-1a.
    static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        bytes.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
    }

    /// The fingerprint of a list of query parts; each part is length-prefixed so that
    /// no two different lists collide by concatenation.
    static func of(_ parts: [String]) -> UInt64 {
        var bytes: [UInt8] = []
        for part in parts {
            bytes.append(contentsOf: "\(part.utf8.count):".utf8)
            bytes.append(contentsOf: part.utf8)
        }
        return fnv1a(bytes)
    }
}
