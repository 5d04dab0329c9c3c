import Foundation

/// The bounded output history of a terminal, replayed to a client when it attaches: at
/// most `maximumLines` lines and `maximumBytes` bytes, the oldest dropped first.
///
/// It lives in memory and, when given a file, in the session's own storage: output is
/// appended to the file as it comes, and the file is rewritten with only what is kept
/// whenever it has grown to twice the bound, so it survives the agent and the session's
/// compute (pause and resume) while its size stays bounded.
struct Scrollback {
    let limits: ScrollbackLimits
    private(set) var bytes: [UInt8] = []
    private var newlines = 0
    private let file: URL?
    private var fileBytes = 0

    /// An empty history, or the one `file` holds (trimmed to the limits).
    init(limits: ScrollbackLimits = .defaults, file: URL? = nil) {
        self.limits = limits
        self.file = file
        if let file, let saved = try? Data(contentsOf: file) {
            append(contentsOf: Array(saved), persist: false)
            rewriteFile()
        }
    }

    /// Adds output.
    mutating func append(_ output: [UInt8]) {
        append(contentsOf: output, persist: true)
    }

    private mutating func append(contentsOf output: [UInt8], persist: Bool) {
        bytes += output
        newlines += output.lazy.filter { $0 == UInt8(ascii: "\n") }.count
        trim()
        guard persist, let file else { return }
        if fileBytes + output.count > 2 * limits.maximumBytes {
            rewriteFile()
        } else if let handle = try? FileHandle(forWritingTo: file) {
            defer { try? handle.close() }
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: output)
            fileBytes += output.count
        } else {
            rewriteFile()
        }
    }

    /// Drops the oldest bytes past the byte bound, then whole lines past the line
    /// bound (a line is kept when it ends in the last `maximumLines` newlines, the
    /// unfinished last line aside).
    private mutating func trim() {
        var drop = max(0, bytes.count - limits.maximumBytes)
        var dropped = bytes[..<drop].lazy.filter { $0 == UInt8(ascii: "\n") }.count
        var excess = newlines - dropped - limits.maximumLines
        var index = drop
        while excess > 0, index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") {
                excess -= 1
                dropped += 1
            }
            index += 1
        }
        drop = max(drop, index)
        guard drop > 0 else { return }
        bytes.removeFirst(drop)
        newlines -= dropped
    }

    private mutating func rewriteFile() {
        guard let file else { return }
        try? Data(bytes).write(to: file, options: .atomic)
        fileBytes = bytes.count
    }
}
