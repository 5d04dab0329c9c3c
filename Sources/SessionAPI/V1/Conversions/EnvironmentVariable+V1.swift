public import SessionSDK

extension SessionSpec.EnvironmentVariable {
    /// The variable of a message: a name of a letter or `_` followed by letters, digits
    /// or `_`, and exactly one of a plain value or a non-empty secret reference.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as `spec.env[2].name`.
    public init(_ message: V1EnvVar, field: String = "env") throws(SessionError) {
        let name = try APIFieldRules.required(message.name, field: "\(field).name")
        guard Self.isValidName(name) else {
            throw APIFieldRules.invalid(
                "\(field).name", "'\(name)' is not a variable name: use a letter or '_', then letters, digits or '_'")
        }
        switch message.source {
        case .value(let value):
            self.init(name: name, value: .plain(try APIFieldRules.text(value, field: "\(field).value")))
        case .secretRef(let reference):
            self.init(name: name, value: .secret(try APIFieldRules.required(reference, field: "\(field).secret_ref")))
        case nil:
            throw APIFieldRules.invalid(field, "sets neither value nor secret_ref")
        }
    }

    /// Whether `name` is a portable variable name: `[A-Za-z_][A-Za-z0-9_]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }
}

extension V1EnvVar {
    /// The message of a variable. A secret stays a reference: its value is never part
    /// of a message.
    public init(_ variable: SessionSpec.EnvironmentVariable) {
        switch variable.value {
        case .plain(let value): self.init(name: variable.name, source: .value(value))
        case .secret(let reference): self.init(name: variable.name, source: .secretRef(reference))
        }
    }
}
