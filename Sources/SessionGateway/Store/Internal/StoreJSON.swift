import Foundation
import SessionSDK

/// JSON for the columns that are read back whole: specs, connections, snapshots.
enum StoreJSON {
    /// Compact, key-sorted JSON text.
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The value a column holds.
    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// Identifiers the store generates: a prefix and 16 random lower-case letters and digits.
enum StoreIdentifiers {
    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// A new identifier such as `s-0f3k9c2mzq7w1b8x`.
    static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return prefix + String(decoding: characters, as: UTF8.self)
    }
}
