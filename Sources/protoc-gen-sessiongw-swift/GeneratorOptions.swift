/// The plugin's parameter: comma-separated `key=value` pairs after `--sessiongw-swift_opt=`.
///
/// - `message_protocol`: the protocol every message conforms to, which supplies
///   `init(protobufBytes:)` and `protobufBytes()` from the C conversions
///   (default `ProtobufCCodable`; SessionAPI uses `APIMessage`, which also refuses NUL
///   characters in strings).
/// - `c_module`: the module of the protoc-c code (default `CProtos`).
/// - `access`: `public` (default) or `internal`, for the types and their members; the
///   C conversions are `package` with `public` and internal with `internal`.
/// - `type_prefix`: the prefix of the generated types' names, instead of the one the
///   package gives (`sessiongw.v1` → `V1`); may be empty.
/// - `runtime_import`: `false` when generating into RPCTransport itself.
/// - `services`: `false` to write no service code.
struct GeneratorOptions {
    var messageProtocol = "ProtobufCCodable"
    var cModule = "CProtos"
    var isPublic = true
    var typePrefix: String?
    var importsRuntime = true
    var writesServices = true

    /// `public ` or nothing, before declarations that are API.
    var publicModifier: String { isPublic ? "public " : "" }
    /// `package ` or nothing, before the C conversions.
    var packageModifier: String { isPublic ? "package " : "" }

    /// Parses a parameter string; unknown keys are errors, so that typos do not pass silently.
    init(parameter: String) throws {
        for pair in parameter.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { throw GeneratorError("option '\(pair)' is not key=value") }
            switch parts[0] {
            case "message_protocol": messageProtocol = parts[1]
            case "c_module": cModule = parts[1]
            case "access":
                guard ["public", "internal"].contains(parts[1]) else {
                    throw GeneratorError("access must be public or internal, not '\(parts[1])'")
                }
                isPublic = parts[1] == "public"
            case "type_prefix": typePrefix = parts[1]
            case "runtime_import": importsRuntime = parts[1] != "false"
            case "services": writesServices = parts[1] != "false"
            default: throw GeneratorError("unknown option '\(parts[0])'")
            }
        }
    }
}

/// Why the generator could not write a file; protoc prints the message.
struct GeneratorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
