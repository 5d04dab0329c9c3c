/// A field of a message.
struct ProtoField {
    /// The proto kinds of field values (`FieldDescriptorProto.Type`).
    enum Kind: Int32 {
        case double = 1, float, int64, uint64, int32, fixed64, fixed32, bool, string, group, message, bytes,
            uint32, enumeration, sfixed32, sfixed64, sint32, sint64
    }

    /// The name in the proto, such as `session_id`.
    var name: String
    /// The field number.
    var number: Int32
    /// The kind of value.
    var kind: Kind
    /// The fully qualified type of a message or enum field, without the leading dot.
    var typeName: String
    /// Whether the field is `repeated` (maps are repeated entry messages).
    var isRepeated: Bool
    /// The index of the oneof it belongs to.
    var oneofIndex: Int?
    /// Its name in the JSON mapping, such as `sessionId`.
    var jsonName: String
    /// The doc comment.
    var comment: String
}
