/// The names protoc-c gives to what it generates, as `protoc-c` 1.4 computes them.
enum CNames {
    /// The struct or enum type of a fully qualified name:
    /// `sessiongw.v1.SessionSpec` → `Sessiongw__V1__SessionSpec`.
    static func type(_ fullName: String) -> String {
        fullName.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "__")
    }

    /// The prefix of functions: `sessiongw.v1.SessionSpec` → `sessiongw__v1__session_spec`.
    static func lower(_ fullName: String) -> String {
        fullName.split(separator: ".").map { camelToLower(String($0)) }.joined(separator: "__")
    }

    /// The prefix of constants: `sessiongw.v1.EnvVar` → `SESSIONGW__V1__ENV_VAR`.
    static func upper(_ fullName: String) -> String {
        lower(fullName).uppercased()
    }

    /// The `*__init` function of a message.
    static func initializer(_ fullName: String) -> String { lower(fullName) + "__init" }

    /// A oneof's case constant: `SESSIONGW__V1__ENV_VAR__SOURCE_VALUE`.
    static func oneofCase(message: String, oneof: String, field: String) -> String {
        "\(upper(message))__\(oneof.uppercased())_\(field.uppercased())"
    }

    /// protoc-c's `CamelToLower`: an underscore before every capital but the first.
    private static func camelToLower(_ name: String) -> String {
        var result = ""
        for (index, character) in name.enumerated() {
            if index > 0, character.isUppercase { result.append("_") }
            result.append(contentsOf: character.lowercased())
        }
        return result
    }
}
