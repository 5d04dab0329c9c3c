import Foundation

/// The end of a session's log, for failure reasons.
enum LogTail {
    /// The last `lines` lines of the file, reading at most the last `maxBytes`; empty
    /// when the file is missing.
    static func read(_ path: String, lines: Int, maxBytes: Int = 8192) -> String {
        guard lines > 0, let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return "" }
        let start = size > UInt64(maxBytes) ? size - UInt64(maxBytes) : 0
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else { return "" }
        var text = String(decoding: data, as: UTF8.self)
        if start > 0, let newline = text.firstIndex(of: "\n") {
            text = String(text[text.index(after: newline)...])  // drop the partial first line
        }
        let kept = text.split(separator: "\n", omittingEmptySubsequences: false)
            .reversed().drop { $0.isEmpty }.prefix(lines).reversed()
        return kept.joined(separator: "\n")
    }
}
