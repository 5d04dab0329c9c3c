/// Accumulates Swift source with indentation.
struct CodeWriter {
    private(set) var text = ""
    private var indentation = 0

    /// Appends a line at the current indentation; an empty string appends an empty line.
    mutating func line(_ line: String = "") {
        text += line.isEmpty ? "\n" : String(repeating: "    ", count: indentation) + line + "\n"
    }

    /// Appends `comment` as `///` lines; nothing when it is empty.
    mutating func doc(_ comment: String) {
        for line in DocComment.lines(comment) { self.line(line.isEmpty ? "///" : "/// \(line)") }
    }

    /// Appends `opening`, the lines `body` writes one level deeper, and `closing`.
    mutating func block(_ opening: String, closing: String = "}", _ body: (inout CodeWriter) throws -> Void) rethrows {
        line(opening)
        indentation += 1
        try body(&self)
        indentation -= 1
        line(closing)
    }

    /// Appends a `switch` over `subject` whose `case` lines `body` writes at the
    /// switch's own indentation, as Swift's style has them.
    mutating func switchBlock(_ subject: String, _ body: (inout CodeWriter) -> Void) {
        line("switch \(subject) {")
        body(&self)
        line("}")
    }
}

/// Proto comments as doc comment lines.
enum DocComment {
    /// The lines of a proto comment: the single space after `//` removed, trailing
    /// blank lines dropped.
    static func lines(_ comment: String) -> [String] {
        var lines = comment.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(line.hasPrefix(" ") ? line.dropFirst() : line[...])
        }
        while lines.last?.isBlank == true { lines.removeLast() }
        while lines.first?.isBlank == true { lines.removeFirst() }
        return lines.map { $0.isBlank ? "" : $0 }
    }
}

extension String {
    fileprivate var isBlank: Bool { allSatisfy { $0 == " " || $0 == "\t" } }
}
