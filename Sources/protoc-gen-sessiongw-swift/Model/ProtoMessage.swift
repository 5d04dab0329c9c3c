/// A message type.
struct ProtoMessage {
    /// The fully qualified name without a leading dot, such as `sessiongw.v1.Session`.
    var fullName: String
    /// The name within its scope, such as `Session` or `LabelsEntry`.
    var name: String
    /// The doc comment: the proto comment above the message.
    var comment: String
    /// The fields in declaration order.
    var fields: [ProtoField]
    /// The oneofs in declaration order. (No proto3 `optional`: protoc-c 1.4, which writes
    /// the C layer, refuses it, so protoc never gets here with one.)
    var oneofs: [ProtoOneof]
    /// Messages declared inside this one.
    var nested: [ProtoMessage]
    /// Enums declared inside this one.
    var enums: [ProtoEnum]
    /// Whether protoc made this message for a `map<K, V>` field.
    var isMapEntry: Bool
}

/// A oneof: at most one of its fields is set.
struct ProtoOneof {
    /// Its name, such as `source`.
    var name: String
    /// The doc comment.
    var comment: String
    /// Its index among the message's oneof declarations (fields refer to it).
    var index: Int
}
