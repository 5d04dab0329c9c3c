/// The format of the JSON records the store keeps (a session's spec and connection, the
/// change log's snapshots): written by the record types of this folder, field by field,
/// never by the SessionSDK types' synthesized `Codable`, so that changing a model type
/// cannot change what is on disk.
///
/// Rules that keep every older row readable:
/// - every record carries its format version under `v`; a record without one is
///   version 1 (the format of the releases before the key existed, whose shape these
///   types still write);
/// - a field added later is read with a default when it is missing, and unknown keys
///   are ignored, so an older release can read a newer row and a newer release an
///   older one;
/// - a record with a version newer than ``current`` is refused with a message that says
///   so, rather than read wrongly.
enum StoreRecordFormat {
    /// The version this release writes.
    static let current = 1

    /// Checks the version a record carries (nil: version 1).
    static func check(_ version: Int?, record: String, codingPath: [any CodingKey]) throws {
        let version = version ?? 1
        guard version <= current else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: codingPath,
                debugDescription: "this \(record) was written in format \(version) by a newer release; "
                    + "this release reads formats 1 to \(current)"))
        }
    }
}
