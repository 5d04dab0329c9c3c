/// Writes a message's Swift struct and its conversions to and from the protoc-c struct.
struct MessageEmitter {
    let message: ProtoMessage
    let registry: TypeRegistry
    let options: GeneratorOptions

    /// A field as the struct holds it.
    private struct Member {
        var field: ProtoField
        var name: String
        var type: String
        var defaultValue: String
        var coding: ValueCoding
        /// The key and value codings of a map field.
        var map: (key: ValueCoding, value: ValueCoding, entry: ProtoMessage)?
    }

    func emit(into out: inout CodeWriter) throws {
        let entry = try registry.entry(message.fullName)
        let members = try message.fields.filter { $0.oneofIndex == nil }.map(member)
        let oneofs = try message.oneofs.map { oneof in
            (oneof, try message.fields.filter { $0.oneofIndex == oneof.index }.map(member))
        }

        let (scope, name) = TypeRegistry.split(entry.swiftName)
        if let scope {
            out.block("extension \(scope) {") { out in declaration(name, members: members, oneofs: oneofs, into: &out) }
        } else {
            declaration(name, members: members, oneofs: oneofs, into: &out)
        }
        out.line()
        try emitConversions(entry: entry, members: members, oneofs: oneofs, into: &out)
        out.line()
        emitJSON(entry: entry, members: members, oneofs: oneofs, into: &out)
    }

    /// The struct, with the proto comments as doc comments.
    private func declaration(
        _ name: String, members: [Member], oneofs: [(ProtoOneof, [Member])], into out: inout CodeWriter
    ) {
        out.doc(message.comment)
        if !message.comment.isEmpty { out.line("///") }
        out.line("/// The `\(message.fullName)` message.")
        out.block("\(options.publicModifier)struct \(name): Sendable, Hashable {") { out in
            for (oneof, cases) in oneofs {
                out.doc(oneof.comment)
                out.block("\(options.publicModifier)enum \(SwiftNames.upperCamel(oneof.name)): Sendable, Hashable {") { out in
                    for member in cases {
                        out.doc(member.field.comment)
                        out.line("case \(member.name)(\(member.coding.swiftType))")
                    }
                }
                out.line()
            }
            var parameters: [(name: String, type: String, defaultValue: String)] = []
            for field in message.fields {
                if let index = field.oneofIndex {
                    // The oneof's property sits where its first field is declared.
                    guard let oneof = message.oneofs.first(where: { $0.index == index }),
                        field.number == message.fields.first(where: { $0.oneofIndex == index })?.number
                    else { continue }
                    let name = SwiftNames.escaped(SwiftNames.memberName(oneof.name))
                    out.doc(oneof.comment)
                    out.line("\(options.publicModifier)var \(name): \(SwiftNames.upperCamel(oneof.name))?")
                    parameters.append((name, "\(SwiftNames.upperCamel(oneof.name))?", "nil"))
                } else if let member = members.first(where: { $0.field.number == field.number }) {
                    out.doc(member.field.comment)
                    out.line("\(options.publicModifier)var \(member.name): \(member.type)")
                    parameters.append((member.name, member.type, member.defaultValue))
                }
            }
            if !parameters.isEmpty { out.line() }
            out.line("/// Creates the message; every field defaults to its protobuf default.")
            if parameters.isEmpty {
                out.line("\(options.publicModifier)init() {}")
            } else {
                out.line("\(options.publicModifier)init(")
                for (index, parameter) in parameters.enumerated() {
                    let comma = index == parameters.count - 1 ? "" : ","
                    out.line("    \(parameter.name): \(parameter.type) = \(parameter.defaultValue)\(comma)")
                }
                out.block(") {") { out in
                    for parameter in parameters { out.line("self.\(parameter.name) = \(parameter.name)") }
                }
            }
        }
    }

    /// The proto3 JSON mapping: fields in declaration order by their JSON names.
    private func emitJSON(
        entry: TypeRegistry.Entry, members: [Member], oneofs: [(ProtoOneof, [Member])], into out: inout CodeWriter
    ) {
        out.block("extension \(entry.swiftName): ProtoJSONEncodable {") { out in
            out.block("\(options.packageModifier)func jsonValue(options: ProtoJSONOptions) -> JSONValue {") { out in
                if message.fields.isEmpty {
                    out.line("return .object([])")
                    return
                }
                out.line("var members: [JSONValue.Member] = []")
                for field in message.fields {
                    if let index = field.oneofIndex {
                        guard let (oneof, cases) = oneofs.first(where: { $0.0.index == index }),
                            field.number == cases.first?.field.number
                        else { continue }
                        out.switchBlock(reference(SwiftNames.escaped(SwiftNames.memberName(oneof.name)))) { out in
                            for member in cases {
                                out.line("case .\(member.name)(let value):")
                                out.line("    members.append(JSONValue.Member(key: \"\(member.field.jsonName)\", value: \(member.coding.json("value"))))")
                            }
                            out.line("case nil:")
                            out.line("    break")
                        }
                    } else if let member = members.first(where: { $0.field.number == field.number }) {
                        emitJSON(member, into: &out)
                    }
                }
                out.line("return .object(members)")
            }
        }
    }

    private func emitJSON(_ member: Member, into out: inout CodeWriter) {
        let value = reference(member.name)
        let key = "\"\(member.field.jsonName)\""
        if let map = member.map {
            out.block("if options.alwaysPrintFieldsWithNoPresence || !\(value).isEmpty {") { out in
                out.line("let entries = \(value).sorted { $0.key < $1.key }.map { pair in")
                out.line("    JSONValue.Member(key: \(map.key.jsonKey("pair.key")), value: \(map.value.json("pair.value")))")
                out.line("}")
                out.line("members.append(JSONValue.Member(key: \(key), value: .object(entries)))")
            }
        } else if member.field.isRepeated {
            out.block("if options.alwaysPrintFieldsWithNoPresence || !\(value).isEmpty {") { out in
                out.line("members.append(JSONValue.Member(key: \(key), value: .array(\(value).map { \(member.coding.json("$0")) })))")
            }
        } else if member.field.kind == .message {
            out.block("if let value = \(value) {") { out in
                out.line("members.append(JSONValue.Member(key: \(key), value: \(member.coding.json("value"))))")
            }
        } else {
            out.block("if options.alwaysPrintFieldsWithNoPresence || \(member.coding.isSet(value)) {") { out in
                out.line("members.append(JSONValue.Member(key: \(key), value: \(member.coding.json(value))))")
            }
        }
    }

    private func emitConversions(
        entry: TypeRegistry.Entry, members: [Member], oneofs: [(ProtoOneof, [Member])], into out: inout CodeWriter
    ) throws {
        let initializer = CNames.initializer(message.fullName)
        try out.block("extension \(entry.swiftName): \(options.messageProtocol) {") { out in
            out.block("\(options.packageModifier)static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {") { out in
                out.line("descriptor(initializedBy: \(initializer))")
            }
            out.line()
            out.line("/// Decodes the message from its protobuf encoding.")
            out.block("\(options.publicModifier)init(protobufBytes bytes: UnsafeRawBufferPointer) throws {") { out in
                out.line("self = try Self.decodedWithProtobufC(bytes)")
            }
            out.line()
            out.line("/// Encodes the message in protobuf encoding.")
            out.block("\(options.publicModifier)func protobufBytes() throws -> [UInt8] {") { out in
                out.line("try encodedWithProtobufC()")
            }
            out.line()
            out.block("\(options.packageModifier)init(cStruct: UnsafeMutablePointer<\(entry.cType)>) {") { out in
                if message.fields.isEmpty {
                    out.line("self.init()")
                    return
                }
                out.line("let c = cStruct.pointee")
                for member in members { out.line("\(reference(member.name)) = \(read(member))") }
                for (oneof, cases) in oneofs {
                    let property = reference(SwiftNames.escaped(SwiftNames.memberName(oneof.name)))
                    out.switchBlock("c.\(oneof.name)_case") { out in
                        for member in cases {
                            out.line("case \(CNames.oneofCase(message: message.fullName, oneof: oneof.name, field: member.field.name)):")
                            let value = member.coding.read("c.\(member.field.name)", optionalMessage: false)
                            out.line("    \(property) = .\(member.name)(\(value))")
                        }
                        out.line("default:")
                        out.line("    \(property) = nil")
                    }
                }
            }
            out.line()
            try out.block("\(options.packageModifier)func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<\(entry.cType)> {") {
                out in
                out.line("let message = arena.allocate(\(entry.cType).self)")
                out.line("\(initializer)(message)")
                for member in members { try write(member, into: &out) }
                for (oneof, cases) in oneofs {
                    out.switchBlock("\(SwiftNames.escaped(SwiftNames.memberName(oneof.name)))") { out in
                        for member in cases {
                            out.line("case .\(member.name)(let value):")
                            let constant = CNames.oneofCase(message: message.fullName, oneof: oneof.name, field: member.field.name)
                            out.line("    message.pointee.\(oneof.name)_case = \(constant)")
                            out.line("    message.pointee.\(member.field.name) = \(member.coding.write("value", optionalMessage: false))")
                        }
                        out.line("case nil:")
                        out.line("    break")
                    }
                }
                out.line("return message")
            }
        }
    }

    private func member(_ field: ProtoField) throws -> Member {
        let coding = try ValueCoding(field, registry: registry)
        let name = SwiftNames.escaped(SwiftNames.memberName(field.name))
        if let entry = registry.mapEntry(of: field) {
            guard let keyField = entry.fields.first(where: { $0.number == 1 }),
                let valueField = entry.fields.first(where: { $0.number == 2 })
            else { throw GeneratorError("map entry '\(entry.fullName)' lacks key or value") }
            let key = try ValueCoding(keyField, registry: registry)
            let value = try ValueCoding(valueField, registry: registry)
            guard key.isComparable else { throw GeneratorError("map '\(field.name)': bool keys are not supported") }
            return Member(
                field: field, name: name, type: "[\(key.swiftType): \(value.swiftType)]", defaultValue: "[:]",
                coding: coding, map: (key, value, entry))
        }
        if field.isRepeated {
            return Member(field: field, name: name, type: "[\(coding.swiftType)]", defaultValue: "[]", coding: coding)
        }
        if field.kind == .message {
            return Member(field: field, name: name, type: "\(coding.swiftType)?", defaultValue: "nil", coding: coding)
        }
        return Member(field: field, name: name, type: coding.swiftType, defaultValue: coding.defaultValue, coding: coding)
    }

    private func read(_ member: Member) -> String {
        let field = member.field.name
        if let map = member.map {
            let key = map.key.read("entry.pointee.key")
            let value = map.value.read("entry.pointee.value", optionalMessage: false)
            return "Dictionary(ProtobufCField.messages(c.\(field), count: c.n_\(field)) { entry in (\(key), \(value)) }, "
                + "uniquingKeysWith: { _, last in last })"
        }
        if member.field.isRepeated { return member.coding.readRepeated("c", field) }
        return member.coding.read("c.\(field)")
    }

    private func write(_ member: Member, into out: inout CodeWriter) throws {
        let field = member.field.name
        let value = reference(member.name)
        if let map = member.map {
            let entry = try registry.entry(map.entry.fullName)
            out.line("message.pointee.n_\(field) = \(value).count")
            out.block("message.pointee.\(field) = arena.messages(\(value).sorted { $0.key < $1.key }) { pair in") { out in
                out.line("let entry = arena.allocate(\(entry.cType).self)")
                out.line("\(CNames.initializer(map.entry.fullName))(entry)")
                out.line("entry.pointee.key = \(map.key.write("pair.key"))")
                out.line("entry.pointee.value = \(map.value.write("pair.value", optionalMessage: false))")
                out.line("return entry")
            }
        } else if member.field.isRepeated {
            out.line("message.pointee.n_\(field) = \(value).count")
            out.line("message.pointee.\(field) = \(member.coding.writeRepeated(value))")
        } else {
            out.line("message.pointee.\(field) = \(member.coding.write(value))")
        }
    }

    /// A member as an expression and an assignment target, through `self` so that no
    /// field can be shadowed by the conversions' locals (`c`, `message`, `arena`).
    private func reference(_ name: String) -> String { "self.\(name)" }
}
