import Foundation
import Glibc

/// The bounded output history of a terminal, replayed to a client when it attaches: at
/// most `maximumLines` lines and `maximumBytes` bytes, the oldest dropped first.
///
/// It lives in memory and, when given a file, in the session's own storage: output is
/// appended to the file as it comes, and the file is rewritten with only what is kept
/// whenever it has grown to twice the bound, so it survives the agent and the session's
/// compute (pause and resume) while its size stays bounded. Appending costs time in
/// proportion to the output, not to the history kept.
struct Scrollback: Sendable {
    let limits: ScrollbackLimits
    /// The history is `buffer[start...]`; dropped bytes before `start` are reclaimed
    /// once they are half the buffer.
    private var buffer: [UInt8] = []
    private var start = 0
    private var newlines = 0
    private let file: AppendOnlyFile?

    /// An empty history, or the one `file` holds (trimmed to the limits).
    init(limits: ScrollbackLimits = .defaults, file: URL? = nil) {
        self.limits = limits
        self.file = file.map(AppendOnlyFile.init)
        if let file, let saved = try? Data(contentsOf: file) {
            append(contentsOf: Array(saved), persist: false)
            self.file?.replace(with: bytes)
        }
    }

    /// The history, oldest first.
    var bytes: [UInt8] { Array(buffer[start...]) }

    /// Adds output.
    mutating func append(_ output: [UInt8]) {
        append(contentsOf: output, persist: true)
    }

    private mutating func append(contentsOf output: [UInt8], persist: Bool) {
        buffer += output
        newlines += output.lazy.filter { $0 == UInt8(ascii: "\n") }.count
        trim()
        guard persist, let file else { return }
        if file.size + output.count > 2 * limits.maximumBytes {
            file.replace(with: bytes)
        } else {
            file.append(output)
        }
    }

    /// Drops the oldest bytes past the byte bound, then whole lines past the line
    /// bound (a line is kept when it ends in the last `maximumLines` newlines, the
    /// unfinished last line aside).
    private mutating func trim() {
        var index = start
        let byteLimit = buffer.count - limits.maximumBytes
        while index < byteLimit {
            if buffer[index] == UInt8(ascii: "\n") { newlines -= 1 }
            index += 1
        }
        while newlines > limits.maximumLines, index < buffer.count {
            if buffer[index] == UInt8(ascii: "\n") { newlines -= 1 }
            index += 1
        }
        start = index
        if start > 64 * 1024, start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }
}

/// A file that output is appended to, kept open; rewritten whole (atomically) when the
/// history it holds is trimmed. Failures to write are ignored: the history in memory
/// stays right, and the file is rewritten on the next trim. Used only under its
/// owner's lock (a ``Scrollback`` lives in a terminal's locked state).
private final class AppendOnlyFile: @unchecked Sendable {
    let url: URL
    private var descriptor: Int32 = -1
    private(set) var size = 0

    init(_ url: URL) {
        self.url = url
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func append(_ bytes: [UInt8]) {
        if descriptor < 0 {
            descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { return }
        }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written > 0 { size += written }
    }

    func replace(with bytes: [UInt8]) {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        try? Data(bytes).write(to: url, options: .atomic)
        size = bytes.count
    }
}
