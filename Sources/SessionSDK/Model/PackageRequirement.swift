/// One package a session asks for on top of its image: a pip requirement specifier
/// of a name, optional extras and optional version clauses, such as `requests`,
/// `numpy==2.1.0` or `pandas[parquet]>=2,<3`.
///
/// Deliberately a subset of PEP 508: no URLs, no environment markers, no spaces and
/// nothing that starts with `-`, so that a requirement can never be read as a pip
/// option (`--index-url`, `-e`) or fetch code from anywhere but the package index.
public struct PackageRequirement: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The most packages one session may ask for.
    public static let maximumCount = 64
    /// The longest requirement, in bytes.
    public static let maximumLength = 200

    /// The requirement as given.
    public let text: String
    /// The project name, normalized as the package index compares names (PEP 503):
    /// lower case, each run of `-`, `_` and `.` one `-`.
    public let name: String

    /// Parses a requirement.
    ///
    /// - Throws: `INVALID_ARGUMENT` saying what is wrong and what a requirement looks like.
    public init(_ text: String) throws(SessionError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= Self.maximumLength else {
            throw Self.invalid(text, "must be 1 to \(Self.maximumLength) bytes")
        }
        var index = 0
        let nameEnd = Self.scanName(bytes, from: 0)
        guard nameEnd > 0 else { throw Self.invalid(text, "must start with a package name (letters, digits, '-', '_', '.')") }
        index = nameEnd
        if index < bytes.count, bytes[index] == UInt8(ascii: "[") {
            index += 1
            while true {
                let end = Self.scanName(bytes, from: index)
                guard end > index else { throw Self.invalid(text, "has an extra that is not a name") }
                index = end
                guard index < bytes.count else { throw Self.invalid(text, "has an unclosed '['") }
                if bytes[index] == UInt8(ascii: "]") { index += 1; break }
                guard bytes[index] == UInt8(ascii: ",") else { throw Self.invalid(text, "has extras that are not 'a,b'") }
                index += 1
            }
        }
        if index < bytes.count {
            while true {
                let operatorEnd = Self.scanOperator(bytes, from: index)
                guard operatorEnd > index else {
                    throw Self.invalid(text, "has something other than a version clause (==, >=, <=, ~=, !=, <, >) after the name")
                }
                index = operatorEnd
                let versionEnd = Self.scanVersion(bytes, from: index)
                guard versionEnd > index else { throw Self.invalid(text, "has a version clause without a version") }
                index = versionEnd
                if index == bytes.count { break }
                guard bytes[index] == UInt8(ascii: ",") else { throw Self.invalid(text, "has version clauses not separated by ','") }
                index += 1
            }
        }
        self.text = text
        self.name = Self.normalizedName(String(decoding: bytes[0..<nameEnd], as: UTF8.self))
    }

    /// The requirement as given.
    public var description: String { text }

    /// The requirements of a list, checked: at most ``maximumCount``, each valid, no
    /// project twice.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field[index]`.
    public static func parse(_ texts: [String], field: String) throws(SessionError) -> [PackageRequirement] {
        guard texts.count <= maximumCount else {
            throw SessionError(.invalidArgument, "\(field) lists \(texts.count) packages; at most \(maximumCount) are allowed")
        }
        var requirements: [PackageRequirement] = []
        var names: Set<String> = []
        for (index, text) in texts.enumerated() {
            let requirement: PackageRequirement
            do {
                requirement = try PackageRequirement(text)
            } catch {
                throw SessionError(.invalidArgument, "\(field)[\(index)] \(error.message)")
            }
            guard names.insert(requirement.name).inserted else {
                throw SessionError(
                    .invalidArgument, "\(field)[\(index)] asks for '\(requirement.name)' again; give each package once")
            }
            requirements.append(requirement)
        }
        return requirements
    }

    /// The requirements in a canonical order (by normalized name), as builds and their
    /// cache keys see them: two lists that differ only in order build the same environment.
    public static func canonical(_ requirements: [PackageRequirement]) -> [String] {
        requirements.sorted { ($0.name, $0.text) < ($1.name, $1.text) }.map(\.text)
    }

    /// `name` as the package index compares names.
    static func normalizedName(_ name: String) -> String {
        var result = ""
        var lastWasSeparator = false
        for character in name.lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !lastWasSeparator { result.append("-") }
                lastWasSeparator = true
            } else {
                result.append(character)
                lastWasSeparator = false
            }
        }
        return result
    }

    private static func invalid(_ text: String, _ problem: String) -> SessionError {
        let shown = text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }
            ? "'\(text.prefix(maximumLength))'" : "the requirement"
        return SessionError(
            .invalidArgument,
            "\(shown) \(problem); a package is a name with optional extras and version clauses, such as 'numpy==2.1.0' or 'pandas[parquet]>=2,<3'")
    }

    /// The end of a name starting at `start`: a letter or digit, then letters, digits,
    /// `-`, `_` and `.`, ending in a letter or digit; `start` when there is none.
    private static func scanName(_ bytes: [UInt8], from start: Int) -> Int {
        guard start < bytes.count, isAlphanumeric(bytes[start]) else { return start }
        var index = start + 1
        var lastAlphanumeric = index
        while index < bytes.count, isAlphanumeric(bytes[index]) || [UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ".")].contains(bytes[index]) {
            index += 1
            if isAlphanumeric(bytes[index - 1]) { lastAlphanumeric = index }
        }
        return lastAlphanumeric
    }

    private static func scanOperator(_ bytes: [UInt8], from start: Int) -> Int {
        let rest = bytes[start...]
        for candidate in ["===", "==", ">=", "<=", "~=", "!=", "<", ">"] where rest.starts(with: candidate.utf8) {
            return start + candidate.utf8.count
        }
        return start
    }

    /// A version: letters, digits and `.`, `*`, `+`, `!`, `-`, `_`.
    private static func scanVersion(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count,
              isAlphanumeric(bytes[index]) || [UInt8(ascii: "."), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "!"),
                                               UInt8(ascii: "-"), UInt8(ascii: "_")].contains(bytes[index]) {
            index += 1
        }
        return index
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
