/// An enum type.
struct ProtoEnum {
    /// A value of the enum.
    struct Value {
        /// The value's name, such as `SESSION_STATE_RUNNING`.
        var name: String
        /// Its number.
        var number: Int32
        /// The doc comment.
        var comment: String
    }

    /// The fully qualified name without a leading dot.
    var fullName: String
    /// The name within its scope.
    var name: String
    /// The doc comment.
    var comment: String
    /// The values in declaration order.
    var values: [Value]
}
