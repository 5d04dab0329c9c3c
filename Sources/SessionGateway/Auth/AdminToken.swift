internal import Foundation

/// The gateway's administrator token: created on first start in the data directory
/// (`admin-token`, readable only by the owner) and required as a bearer token on every
/// call but health checks.
public struct AdminToken: Sendable {
    /// Where the token is kept.
    public let path: String
    let value: String

    /// Reads the token at `DIRECTORY/admin-token`, creating it if missing.
    public static func loadOrCreate(inDirectory directory: String) throws -> (token: AdminToken, created: Bool) {
        let path = directory + "/admin-token"
        if let data = FileManager.default.contents(atPath: path) {
            let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard value.count >= 32 else {
                throw ConfigurationError(path: path, message: "holds no usable token; delete it to have a new one made")
            }
            return (AdminToken(path: path, value: value), false)
        }
        var generator = SystemRandomNumberGenerator()
        let value = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(
            atPath: path, contents: Data((value + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw ConfigurationError(path: path, message: "could not be written")
        }
        return (AdminToken(path: path, value: value), true)
    }

    /// Whether `candidate` is the token, compared in constant time.
    func matches(_ candidate: String) -> Bool {
        let expected = Array(value.utf8)
        let given = Array(candidate.utf8)
        var difference = UInt8(expected.count == given.count ? 0 : 1)
        for index in expected.indices { difference |= expected[index] ^ (index < given.count ? given[index] : 0) }
        return difference == 0
    }
}
