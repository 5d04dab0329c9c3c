import SessionSDK

/// The syntax of provider names and versions.
enum IdentityRules {
    /// 1 to 63 of `a-z`, `0-9`, `-` and `.`, starting with a letter or digit.
    static func isWellFormedName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (1...63).contains(name.utf8.count), isLowerAlphanumeric(first) else { return false }
        return name.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    /// `MAJOR.MINOR.PATCH` without leading zeros, optionally `-PRERELEASE` and
    /// `+BUILD` of dot-separated `[0-9A-Za-z-]` identifiers (semver.org 2.0.0).
    static func isSemanticVersion(_ version: String) -> Bool {
        var rest = Substring(version)
        var build: Substring?
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...]
            rest = rest[..<plus]
        }
        var prerelease: Substring?
        if let dash = rest.firstIndex(of: "-") {
            prerelease = rest[rest.index(after: dash)...]
            rest = rest[..<dash]
        }
        let core = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3, core.allSatisfy(isNumericIdentifier) else { return false }
        for extra in [prerelease, build].compactMap({ $0 }) {
            let identifiers = extra.split(separator: ".", omittingEmptySubsequences: false)
            guard identifiers.allSatisfy({ identifier in
                !identifier.isEmpty && identifier.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
            }) else { return false }
        }
        return true
    }

    /// Capability names, sorted and comma-separated.
    static func names(_ capabilities: Set<ProviderCapability>) -> String {
        capabilities.map(\.rawValue).sorted().joined(separator: ", ")
    }

    private static func isNumericIdentifier(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return false }
        return text == "0" || text.first != "0"
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
