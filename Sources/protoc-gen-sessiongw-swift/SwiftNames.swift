/// How proto names become Swift names, following the Swift API Design Guidelines:
/// UpperCamelCase types, lowerCamelCase members, and acronyms in one case
/// (`session_id` → `sessionID`, `IdeKind` → `IDEKind`, `connection_url` → `connectionURL`).
enum SwiftNames {
    /// Words written in capitals when they are not the first word of a member name.
    static let acronyms: [String: String] = ["id": "ID", "ids": "IDs", "ide": "IDE", "url": "URL", "urls": "URLs"]

    /// Words Swift reserves, escaped with backticks where they name a member.
    static let keywords: Set<String> = [
        "as", "associatedtype", "break", "case", "catch", "class", "continue", "default", "defer", "deinit", "do",
        "else", "enum", "extension", "fallthrough", "false", "fileprivate", "for", "func", "guard", "if", "import",
        "in", "init", "inout", "internal", "is", "let", "nil", "operator", "private", "protocol", "public",
        "repeat", "rethrows", "return", "self", "Self", "static", "struct", "subscript", "super", "switch",
        "throw", "throws", "true", "try", "typealias", "var", "where", "while",
    ]

    /// The prefix of a package's types: every component after the first, capitalized
    /// (`sessiongw.v1` → `V1`, `sessiongw.provider.v1` → `ProviderV1`).
    static func typePrefix(package: String) -> String {
        package.split(separator: ".").dropFirst().map { capitalized(String($0)) }.joined()
    }

    /// A type name from a proto type name such as `IdeKind`.
    static func typeName(_ protoName: String) -> String {
        camelWords(protoName).map { acronyms[$0.lowercased()] ?? $0 }.joined()
    }

    /// A member name from a `snake_case` field or oneof name.
    static func memberName(_ snake: String) -> String {
        let words = snake.split(separator: "_").map(String.init)
        guard let first = words.first else { return snake }
        return first.lowercased() + words.dropFirst().map { acronyms[$0.lowercased()] ?? capitalized($0) }.joined()
    }

    /// The case name of an enum value: its `UPPER_SNAKE` name without the enum's prefix
    /// (`SESSION_STATE_BUILD_FAILED` of `SessionState` → `buildFailed`).
    static func caseName(_ value: String, enumName: String) -> String {
        let prefix = upperSnake(enumName) + "_"
        let name = value.hasPrefix(prefix) && value.count > prefix.count ? String(value.dropFirst(prefix.count)) : value
        let words = name.lowercased().split(separator: "_").map(String.init)
        guard let first = words.first else { return name.lowercased() }
        return first + words.dropFirst().map(capitalized).joined()
    }

    /// A member name escaped where it is a keyword.
    static func escaped(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }

    /// A type name in UpperCamelCase from a `snake_case` name (oneofs).
    static func upperCamel(_ snake: String) -> String {
        snake.split(separator: "_").map { acronyms[$0.lowercased()] ?? capitalized(String($0)) }.joined()
    }

    /// `SessionState` → `SESSION_STATE`, as protoc names enum values by convention.
    static func upperSnake(_ camel: String) -> String {
        camelWords(camel).map { $0.uppercased() }.joined(separator: "_")
    }

    private static func capitalized(_ word: String) -> String {
        word.prefix(1).uppercased() + word.dropFirst()
    }

    /// `IdeKind` → `["Ide", "Kind"]`; `HTTPStatus` → `["HTTP", "Status"]`.
    private static func camelWords(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        let characters = Array(name)
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let startsWord = character.isUppercase && !current.isEmpty
                && (!(current.last?.isUppercase ?? false) || (next?.isLowercase ?? false))
            if startsWord || character == "_" {
                words.append(current)
                current = ""
            }
            if character != "_" { current.append(character) }
        }
        if !current.isEmpty { words.append(current) }
        return words.filter { !$0.isEmpty }
    }
}
