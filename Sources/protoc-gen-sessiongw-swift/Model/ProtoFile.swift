/// One `.proto` file of a `CodeGeneratorRequest`, as far as the generator needs it.
struct ProtoFile {
    /// The file's path relative to its import root, such as `sessiongw/v1/types.proto`.
    var name: String
    /// Its package, such as `sessiongw.v1`.
    var package: String
    /// The files it imports.
    var dependencies: [String]
    /// Its top-level messages (nested messages are flattened into ``ProtoMessage/nested``).
    var messages: [ProtoMessage]
    /// Its top-level enums.
    var enums: [ProtoEnum]
    /// Its services.
    var services: [ProtoService]
}
