/// Fields of one object for people: `Key:` labels padded to the widest, then the value;
/// a field with several values lists them indented on the following lines.
///
/// ```swift
/// var list = KeyValueList()
/// list.append("Name", "demo")
/// list.append("Labels", values: ["team=ml"])
/// list.rendered()   // "Name:    demo\nLabels:\n  team=ml\n"
/// ```
struct KeyValueList: Sendable, Equatable {
    /// One field.
    struct Field: Sendable, Equatable {
        /// The label.
        var key: String
        /// The value on the label's line; nil for a field that lists `values`.
        var value: String?
        /// The values listed under the label.
        var values: [String]
    }

    /// The fields, in order.
    var fields: [Field] = []

    /// Adds a field with one value; an empty value prints as `-`.
    mutating func append(_ key: String, _ value: String) {
        fields.append(Field(key: key, value: value, values: []))
    }

    /// Adds a field listing values under it; none prints as `-` on the label's line.
    mutating func append(_ key: String, values: [String]) {
        fields.append(values.isEmpty ? Field(key: key, value: "", values: []) : Field(key: key, value: nil, values: values))
    }

    /// The fields as lines of text, each ending with a newline.
    func rendered() -> String {
        let width = (fields.filter { $0.value != nil }.map(\.key.count).max() ?? 0) + 1
        var output = ""
        for field in fields {
            let label = field.key + ":"
            if let value = field.value {
                output += label + String(repeating: " ", count: width - label.count + 2) + TextTable.cell(value) + "\n"
            } else {
                output += label + "\n"
                for value in field.values { output += "  " + TextTable.cell(value) + "\n" }
            }
        }
        return output
    }
}
