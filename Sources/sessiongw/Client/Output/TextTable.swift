/// A table for people: a header row of upper-case column names and rows of cells,
/// each column as wide as its widest cell, separated by three spaces.
///
/// Empty cells print as `-` so that every row has the same number of words, and
/// control characters in cells print as `?` so that no cell can break the layout.
///
/// ```swift
/// var table = TextTable(columns: ["NAME", "STATE"])
/// table.append(["demo", "RUNNING"])
/// table.rendered()   // "NAME   STATE\ndemo   RUNNING\n"
/// ```
struct TextTable: Sendable, Equatable {
    /// The column names.
    var columns: [String]
    /// The rows; each has one cell per column (missing cells print as `-`).
    var rows: [[String]]

    /// Creates a table with no rows.
    init(columns: [String], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// Adds a row.
    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The table as lines of text, each ending with a newline, with no trailing spaces.
    func rendered() -> String {
        let cells = ([columns] + rows).map { row in
            columns.indices.map { index in Self.cell(index < row.count ? row[index] : "") }
        }
        let widths = columns.indices.map { index in cells.map { $0[index].count }.max() ?? 0 }
        var output = ""
        for row in cells {
            var line = ""
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 {
                    line += String(repeating: " ", count: widths[index] - cell.count + 3)
                }
            }
            output += Self.trimmingTrailingSpaces(line) + "\n"
        }
        return output
    }

    /// A cell's printed text: `-` when empty, control characters as `?`.
    static func cell(_ text: String) -> String {
        guard !text.isEmpty else { return "-" }
        return String(text.unicodeScalars.map { scalar -> Character in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? "?" : Character(scalar)
        })
    }

    private static func trimmingTrailingSpaces(_ line: String) -> String {
        var line = Substring(line)
        while line.last == " " { line = line.dropLast() }
        return String(line)
    }
}
