internal import CProtocPlugin

/// Reads the `FileDescriptorProto`s protoc sends, as decoded by libprotobuf-c, into the
/// generator's model, with the comments of `SourceCodeInfo` attached to what they describe.
struct DescriptorReader {
    /// The comments of one file, by their `SourceCodeInfo` path.
    private let comments: [[Int32]: String]
    private let package: String

    /// Reads one file.
    static func file(_ c: UnsafeMutablePointer<Google__Protobuf__FileDescriptorProto>) -> ProtoFile {
        let f = c.pointee
        let reader = DescriptorReader(comments: Self.comments(f.source_code_info), package: string(f.package))
        return ProtoFile(
            name: string(f.name),
            package: reader.package,
            dependencies: strings(f.dependency, f.n_dependency),
            messages: items(f.message_type, f.n_message_type).enumerated().map { index, message in
                reader.message(message, scope: reader.package, path: [4, Int32(index)])
            },
            enums: items(f.enum_type, f.n_enum_type).enumerated().map { index, type in
                reader.enumeration(type, scope: reader.package, path: [5, Int32(index)])
            },
            services: items(f.service, f.n_service).enumerated().map { index, service in
                reader.service(service, path: [6, Int32(index)])
            })
    }

    private func message(
        _ c: UnsafeMutablePointer<Google__Protobuf__DescriptorProto>, scope: String, path: [Int32]
    ) -> ProtoMessage {
        let m = c.pointee
        let name = Self.string(m.name)
        let fullName = Self.qualified(scope, name)
        let fields = Self.items(m.field, m.n_field).enumerated().map { index, field in
            self.field(field, path: path + [2, Int32(index)])
        }
        let oneofs = Self.items(m.oneof_decl, m.n_oneof_decl).enumerated().map { index, oneof in
            ProtoOneof(name: Self.string(oneof.pointee.name), comment: comment(path + [8, Int32(index)]), index: index)
        }
        return ProtoMessage(
            fullName: fullName,
            name: name,
            comment: comment(path),
            fields: fields,
            oneofs: oneofs,
            nested: Self.items(m.nested_type, m.n_nested_type).enumerated().map { index, nested in
                message(nested, scope: fullName, path: path + [3, Int32(index)])
            },
            enums: Self.items(m.enum_type, m.n_enum_type).enumerated().map { index, type in
                enumeration(type, scope: fullName, path: path + [4, Int32(index)])
            },
            isMapEntry: m.options.map { $0.pointee.has_map_entry != 0 && $0.pointee.map_entry != 0 } ?? false)
    }

    private func field(_ c: UnsafeMutablePointer<Google__Protobuf__FieldDescriptorProto>, path: [Int32]) -> ProtoField {
        let f = c.pointee
        let typeName = Self.string(f.type_name)
        return ProtoField(
            name: Self.string(f.name),
            number: f.number,
            kind: ProtoField.Kind(rawValue: Int32(bitPattern: f.type.rawValue)) ?? .group,
            typeName: typeName.hasPrefix(".") ? String(typeName.dropFirst()) : typeName,
            isRepeated: f.label == GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REPEATED,
            oneofIndex: f.has_oneof_index != 0 ? Int(f.oneof_index) : nil,
            jsonName: Self.string(f.json_name),
            comment: comment(path))
    }

    private func enumeration(
        _ c: UnsafeMutablePointer<Google__Protobuf__EnumDescriptorProto>, scope: String, path: [Int32]
    ) -> ProtoEnum {
        let e = c.pointee
        let name = Self.string(e.name)
        return ProtoEnum(
            fullName: Self.qualified(scope, name),
            name: name,
            comment: comment(path),
            values: Self.items(e.value, e.n_value).enumerated().map { index, value in
                ProtoEnum.Value(
                    name: Self.string(value.pointee.name), number: value.pointee.number,
                    comment: comment(path + [2, Int32(index)]))
            })
    }

    private func service(_ c: UnsafeMutablePointer<Google__Protobuf__ServiceDescriptorProto>, path: [Int32]) -> ProtoService {
        let s = c.pointee
        let name = Self.string(s.name)
        return ProtoService(
            fullName: Self.qualified(package, name),
            name: name,
            comment: comment(path),
            methods: Self.items(s.method, s.n_method).enumerated().map { index, method in
                let m = method.pointee
                return ProtoService.Method(
                    name: Self.string(m.name),
                    inputType: String(Self.string(m.input_type).drop { $0 == "." }),
                    outputType: String(Self.string(m.output_type).drop { $0 == "." }),
                    clientStreaming: m.has_client_streaming != 0 && m.client_streaming != 0,
                    serverStreaming: m.has_server_streaming != 0 && m.server_streaming != 0,
                    comment: comment(path + [2, Int32(index)]))
            })
    }

    private func comment(_ path: [Int32]) -> String { comments[path] ?? "" }

    // MARK: C fields

    private static func comments(
        _ info: UnsafeMutablePointer<Google__Protobuf__SourceCodeInfo>?
    ) -> [[Int32]: String] {
        guard let info else { return [:] }
        var comments: [[Int32]: String] = [:]
        for location in items(info.pointee.location, info.pointee.n_location) {
            let l = location.pointee
            guard let leading = l.leading_comments else { continue }
            let path = l.path.map { Array(UnsafeBufferPointer(start: $0, count: l.n_path)) } ?? []
            comments[path] = String(cString: leading)
        }
        return comments
    }

    private static func qualified(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : "\(scope).\(name)"
    }

    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    static func strings(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int) -> [String] {
        guard let pointer else { return [] }
        return UnsafeBufferPointer(start: pointer, count: count).map(string)
    }

    static func items<T>(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<T>?>?, _ count: Int) -> [UnsafeMutablePointer<T>] {
        guard let pointer else { return [] }
        return UnsafeBufferPointer(start: pointer, count: count).compactMap { $0 }
    }
}
