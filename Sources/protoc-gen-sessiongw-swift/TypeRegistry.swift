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

    /// Registers the types of every file. Top-level types are named with their
    /// package's prefix (``SwiftNames/typePrefix(package:)``, or `typePrefix` for the
    /// files to generate when given); nested ones are nested Swift types
    /// (`TestingV1Kinds.Inner`).
    init(files: [ProtoFile], generating: Set<String> = [], typePrefix: String? = nil) {
        for file in files {
            let prefix = generating.contains(file.name)
                ? typePrefix ?? SwiftNames.typePrefix(package: file.package) : SwiftNames.typePrefix(package: file.package)
            for message in file.messages { add(message, swiftName: prefix + SwiftNames.typeName(message.name)) }
            for type in file.enums { add(type, swiftName: prefix + SwiftNames.typeName(type.name)) }
        }
    }

    private mutating func add(_ message: ProtoMessage, swiftName: String) {
        entries[message.fullName] = Entry(swiftName: swiftName, cType: CNames.type(message.fullName), message: message)
        for nested in message.nested { add(nested, swiftName: "\(swiftName).\(SwiftNames.typeName(nested.name))") }
        for type in message.enums { add(type, swiftName: "\(swiftName).\(SwiftNames.typeName(type.name))") }
    }

    private mutating func add(_ type: ProtoEnum, swiftName: String) {
        entries[type.fullName] = Entry(swiftName: swiftName, cType: CNames.type(type.fullName), enumeration: type)
    }

    /// The scope a type is declared in and its name there: `("TestingV1Kinds", "Inner")`;
    /// no scope for a top-level type.
    static func split(_ swiftName: String) -> (scope: String?, name: String) {
        guard let dot = swiftName.lastIndex(of: ".") else { return (nil, swiftName) }
        return (String(swiftName[..<dot]), String(swiftName[swiftName.index(after: dot)...]))
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
