internal import Foundation

/// A secret key the gateway generates once and keeps in its data directory: 32 random
/// bytes as hex, mode 0600. The link-ticket key and the agent-token key are such files.
/// A key is never logged or returned; replacing its file ends what it signed.
enum KeyFile {
    /// The key at `path`, creating it when it is missing and narrowing a file that
    /// others may read back to 0600.
    ///
    /// - Throws: ``ConfigurationError`` when the file holds no usable key (fewer than 32
    ///   bytes of hex) or cannot be written.
    static func loadOrCreate(at path: String) throws -> [UInt8] {
        let files = FileManager.default
        if let data = files.contents(atPath: path) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = bytes(hex: text), bytes.count >= 32 else {
                throw ConfigurationError(path: path, message: "holds no usable key; delete it to have a new one made")
            }
            if let mode = (try? files.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
                try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            }
            return bytes
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = bytes.map { String(format: "%02x", $0) }.joined() + "\n"
        try files.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard files.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError(path: path, message: "could not be written")
        }
        return bytes
    }

    /// The bytes of an even-length hex text; nil when it is not hex.
    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
