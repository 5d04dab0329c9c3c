internal import Crypto
internal import Foundation

extension APIToken {
    /// A new token for `caller`: its record and its value, which is shown once and
    /// stored nowhere (the store keeps ``sha256(of:)`` of it). The value is
    /// `sgw_`, the id, `_` and 32 random bytes in hex.
    public static func make(
        caller: String, description: String, expiresAt: Double?, now: Double? = nil
    ) -> (token: APIToken, value: String) {
        let now = now ?? Date().timeIntervalSince1970
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        let id = "t-" + String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let token = APIToken(id: id, caller: caller, description: description, createdAt: now, expiresAt: expiresAt)
        return (token, "sgw_\(id)_\(secret)")
    }

    /// The hex SHA-256 of a token value: what the store keeps and looks tokens up by.
    public static func sha256(of value: String) -> String {
        SHA256.hash(data: Data(value.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
