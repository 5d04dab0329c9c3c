/// The key sequence that detaches `sessiongw terminal attach` from a terminal, such as
/// `ctrl-p,ctrl-q` (the default, as Docker's): keys are `ctrl-<letter>`, `ctrl-@`,
/// `ctrl-[`, `ctrl-\`, `ctrl-]`, `ctrl-^`, `ctrl-_` or one printable character,
/// separated by commas.
///
/// ``Matcher`` holds back the bytes of a sequence begun until it is complete (detach)
/// or broken (they go to the terminal after all), so a lone Ctrl-P still reaches it.
struct DetachKeys: Hashable, Sendable, CustomStringConvertible {
    /// The default sequence.
    static let standard = DetachKeys(bytes: [0x10, 0x11], description: "ctrl-p,ctrl-q")

    /// The bytes the keys send.
    let bytes: [UInt8]
    /// The sequence as it was written.
    let description: String

    private init(bytes: [UInt8], description: String) {
        self.bytes = bytes
        self.description = description
    }

    /// Parses a sequence.
    ///
    /// - Throws: ``ClientFailure`` naming a key it cannot read.
    init(parsing text: String) throws {
        var bytes: [UInt8] = []
        for key in text.split(separator: ",", omittingEmptySubsequences: false) {
            let lowered = key.lowercased()
            if lowered.hasPrefix("ctrl-"), lowered.count == 6, let character = lowered.last?.asciiValue {
                switch character {
                case UInt8(ascii: "a")...UInt8(ascii: "z"): bytes.append(character - UInt8(ascii: "a") + 1)
                case UInt8(ascii: "@"), UInt8(ascii: "["), UInt8(ascii: "\\"), UInt8(ascii: "]"), UInt8(ascii: "^"),
                    UInt8(ascii: "_"):
                    bytes.append(character & 0x1f)
                default:
                    throw Self.invalid(key)
                }
            } else if key.count == 1, let byte = key.first?.asciiValue, byte >= 0x20, byte < 0x7f {
                bytes.append(byte)
            } else {
                throw Self.invalid(key)
            }
        }
        guard !bytes.isEmpty else { throw Self.invalid(Substring(text)) }
        self.init(bytes: bytes, description: text)
    }

    private static func invalid(_ key: Substring) -> ClientFailure {
        ClientFailure(
            ClientExitCode.clientError,
            "'\(key)' is not a key of --detach-keys; use ctrl-<letter> or one printable character, separated by commas")
    }

    /// Finds the sequence in typed bytes.
    struct Matcher: Sendable {
        let keys: DetachKeys
        /// How many bytes of the sequence the last bytes typed matched.
        private(set) var matched = 0

        init(_ keys: DetachKeys) {
            self.keys = keys
        }

        /// What of `typed` goes to the terminal, and whether the sequence is complete
        /// (the bytes after it are dropped).
        mutating func feed(_ typed: [UInt8]) -> (forward: [UInt8], detach: Bool) {
            var forward: [UInt8] = []
            for byte in typed {
                if byte == keys.bytes[matched] {
                    matched += 1
                    if matched == keys.bytes.count {
                        matched = 0
                        return (forward, true)
                    }
                    continue
                }
                forward += keys.bytes[0..<matched]
                matched = byte == keys.bytes[0] ? 1 : 0
                if matched == 0 { forward.append(byte) }
            }
            return (forward, false)
        }
    }
}
