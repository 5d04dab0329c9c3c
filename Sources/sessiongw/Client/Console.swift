import Foundation

/// Where the client commands write: results on standard output, errors and hints on
/// standard error. Every write is flushed at once, so lines of `session watch` and
/// `--wait` appear as they happen even through a pipe.
enum Console {
    /// Writes `text` to standard output, adding a newline unless it ends with one.
    static func out(_ text: String) {
        write(text, to: .standardOutput)
    }

    /// Writes `text` to standard error, adding a newline unless it ends with one.
    static func error(_ text: String) {
        write(text, to: .standardError)
    }

    private static func write(_ text: String, to handle: FileHandle) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        try? handle.write(contentsOf: Data(line.utf8))
    }
}
