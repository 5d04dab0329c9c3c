/// Every message and enum of a request's files, by fully qualified name, with the
/// names the generated Swift and the protoc-c code give it.
struct TypeRegistry {
    /// A message or enum type.
    struct Entry {
        /// The Swift type, such as `V1SessionSpec`.
        var swiftName: String
        /// The protoc-c type, such as `Sessiongw__V1__SessionSpec`.
        var cType: String
        /// The message, for messages; nil for enums.
        var message: ProtoMessage?
        /// The enum, for enums.
        var enumeration: ProtoEnum?
    }

    private var entries: [String: Entry] = [:]

    /// Registers the types of every file.
    init(files: [ProtoFile]) {
        for file in files {
            let prefix = SwiftNames.typePrefix(package: file.package)
            for message in file.messages { add(message, swiftPrefix: prefix) }
            for type in file.enums { add(type, swiftPrefix: prefix) }
        }
    }

    private mutating func add(_ message: ProtoMessage, swiftPrefix: String) {
        let swiftName = swiftPrefix + SwiftNames.typeName(message.name)
        entries[message.fullName] = Entry(swiftName: swiftName, cType: CNames.type(message.fullName), message: message)
        for nested in message.nested { add(nested, swiftPrefix: swiftName) }
        for type in message.enums { add(type, swiftPrefix: swiftName) }
    }

    private mutating func add(_ type: ProtoEnum, swiftPrefix: String) {
        entries[type.fullName] = Entry(
            swiftName: swiftPrefix + SwiftNames.typeName(type.name), cType: CNames.type(type.fullName), enumeration: type)
    }

    /// The entry of a fully qualified name.
    func entry(_ fullName: String) throws -> Entry {
        guard let entry = entries[fullName] else { throw GeneratorError("unknown type '\(fullName)'") }
        return entry
    }

    /// The message of a map field's entry, when the field is a map.
    func mapEntry(of field: ProtoField) -> ProtoMessage? {
        guard field.isRepeated, field.kind == .message, let message = entries[field.typeName]?.message,
            message.isMapEntry
        else { return nil }
        return message
    }
}
