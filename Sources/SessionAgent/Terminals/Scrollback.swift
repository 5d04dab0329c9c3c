import Foundation
import Glibc

/// The bounded output history of a terminal, replayed to a client when it attaches: at
/// most `maximumLines` lines and `maximumBytes` bytes, the oldest dropped first.
///
/// It lives in memory and, when given a file, in the session's own storage: output is
/// appended to the file as it comes (so a killed agent loses none of it), and the file is
/// rewritten with only what is kept whenever it has grown to ``fileBound`` times the
/// byte bound, so it survives the agent and the session's compute (pause and resume)
/// while its size stays bounded. Appending costs time in proportion to the output, not
/// to the history kept: a flood of output is written about 1⅓ times.
struct Scrollback: Sendable {
    let limits: ScrollbackLimits
    /// The history is `buffer[start...]`; dropped bytes before `start` are reclaimed
    /// once they are half the buffer.
    private var buffer: [UInt8] = []
    private var start = 0
    private var newlines = 0
    private let file: AppendOnlyFile?
    /// How many times the byte bound the file may grow to before it is rewritten.
    static let fileBound = 4

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
        newlines += Self.newlines(in: output[...])
        trim()
        guard persist, let file else { return }
        if file.size + output.count > Self.fileBound * limits.maximumBytes {
            file.replace(with: bytes)
        } else {
            file.append(output)
        }
    }

    /// Drops the oldest bytes past the byte bound, then whole lines past the line
    /// bound (a line is kept when it ends in the last `maximumLines` newlines, the
    /// unfinished last line aside).
    private mutating func trim() {
        var index = max(start, buffer.count - limits.maximumBytes)
        newlines -= Self.newlines(in: buffer[start..<index])
        if newlines > limits.maximumLines {
            index = Self.position(after: newlines - limits.maximumLines, newlinesFrom: index, in: buffer)
            newlines = limits.maximumLines
        }
        start = index
        if start > 64 * 1024, start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }

    /// The number of newlines in `bytes`, counted in a loop the compiler vectorizes
    /// (output comes in chunks of up to 64 KiB, many times a second).
    private static func newlines(in bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var count = 0
            for byte in buffer { count &+= byte == UInt8(ascii: "\n") ? 1 : 0 }
            return count
        }
    }

    /// The index just past the `count`th newline of `bytes` from `index` on (there are
    /// at least `count`).
    private static func position(after count: Int, newlinesFrom index: Int, in bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var position = index
            for _ in 0..<count {
                let found = memchr(buffer.baseAddress! + position, Int32(UInt8(ascii: "\n")), buffer.count - position)!
                position = buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
            }
            return position
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
