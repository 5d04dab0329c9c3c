/// The plugin's parameter: comma-separated `key=value` pairs after `--sessiongw-swift_opt=`.
///
/// - `message_protocol`: the protocol every message conforms to, which supplies
///   `init(protobufBytes:)` and `protobufBytes()` from the C conversions
///   (default `ProtobufCCodable`; SessionAPI uses `APIMessage`, which also refuses NUL
///   characters in strings).
/// - `c_module`: the module of the protoc-c code (default `CProtos`).
struct GeneratorOptions {
    var messageProtocol = "ProtobufCCodable"
    var cModule = "CProtos"

    /// Parses a parameter string; unknown keys are errors, so that typos do not pass silently.
    init(parameter: String) throws {
        for pair in parameter.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw GeneratorError("option '\(pair)' is not key=value") }
            switch parts[0] {
            case "message_protocol": messageProtocol = parts[1]
            case "c_module": cModule = parts[1]
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
