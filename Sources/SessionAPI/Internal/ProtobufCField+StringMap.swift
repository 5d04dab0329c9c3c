internal import CProtobufC
internal import RPCTransport

/// `map<string, string>` fields: protoc-c represents a map as a repeated entry message
/// with `key` and `value` strings.
extension ProtobufCField {
    /// Reads a map field. A key that occurs more than once keeps its last value, as
    /// the protobuf specification requires.
    static func stringMap<Entry>(
        _ entries: UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>?,
        count: Int,
        key: KeyPath<Entry, UnsafeMutablePointer<CChar>?>,
        value: KeyPath<Entry, UnsafeMutablePointer<CChar>?>
    ) -> [String: String] {
        let pairs = messages(entries, count: count) { entry in
            (string(entry.pointee[keyPath: key]), string(entry.pointee[keyPath: value]))
        }
        return Dictionary(pairs, uniquingKeysWith: { _, last in last })
    }
}

extension ProtobufCArena {
    /// Builds a map field's entries, sorted by key so that encoding is deterministic.
    func stringMap<Entry>(
        _ map: [String: String],
        initializedBy initialize: (UnsafeMutablePointer<Entry>) -> Void,
        key: WritableKeyPath<Entry, UnsafeMutablePointer<CChar>?>,
        value: WritableKeyPath<Entry, UnsafeMutablePointer<CChar>?>
    ) -> UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>? {
        messages(map.sorted { $0.key < $1.key }) { pair in
            let entry = allocate(Entry.self)
            initialize(entry)
            entry.pointee[keyPath: key] = string(pair.key)
            entry.pointee[keyPath: value] = string(pair.value)
            return entry
        }
    }
}
