package import CGRPCProtos

/// The fields an update touches: `google.protobuf.FieldMask`, paths of `snake_case`
/// field names. Its JSON is the paths in lowerCamelCase joined by commas, such as
/// `"labels,durationLimit"`.
public struct ProtobufFieldMask: Sendable, Hashable {
    /// The field paths, such as `labels` or `home_volume`.
    public var paths: [String]

    /// Creates a mask.
    public init(paths: [String] = []) {
        self.paths = paths
    }
}

extension ProtobufFieldMask {
    /// Reads the protoc-c struct.
    package init(cStruct: UnsafeMutablePointer<Google__Protobuf__FieldMask>) {
        self.init(paths: ProtobufCField.strings(cStruct.pointee.paths, count: cStruct.pointee.n_paths))
    }

    /// Builds the protoc-c struct in `arena`.
    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Google__Protobuf__FieldMask> {
        let message = arena.allocate(Google__Protobuf__FieldMask.self)
        google__protobuf__field_mask__init(message)
        message.pointee.n_paths = paths.count
        message.pointee.paths = arena.strings(paths)
        return message
    }
}

extension ProtobufFieldMask: ProtoJSONEncodable {
    package func jsonValue(options: ProtoJSONOptions) -> JSONValue {
        .string(paths.map(Self.lowerCamel).joined(separator: ","))
    }

    /// `data_link_ids` → `dataLinkIds`, per path segment.
    private static func lowerCamel(_ path: String) -> String {
        var result = ""
        var upperNext = false
        for character in path {
            if character == "_" {
                upperNext = true
            } else {
                result += upperNext ? character.uppercased() : String(character)
                upperNext = false
            }
        }
        return result
    }
}
