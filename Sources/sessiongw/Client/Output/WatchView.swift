import SessionAPI

/// How `session watch` prints events for people: one line per event in fixed-width
/// columns, since the widths cannot be known before the stream ends.
enum WatchView {
    private static let widths = [14, 10, 24, 20, 14]

    /// The header line.
    static var header: String {
        line(["TYPE", "REVISION", "NAME", "ID", "STATE", "REASON"])
    }

    /// The line of one event. SNAPSHOT_END says that what follows are changes.
    static func line(_ event: V1WatchSessionsResponse) -> String {
        guard let session = event.session else {
            return line([event.type.name, String(event.revision), "", "", "", "(current state sent; changes follow)"])
        }
        return line([
            event.type.name, String(event.revision), session.name, session.id,
            session.state == .unspecified ? "" : session.state.name, session.stateReason,
        ])
    }

    private static func line(_ cells: [String]) -> String {
        var text = ""
        for (index, cell) in cells.enumerated() {
            let printed = index == cells.count - 1 && cell.isEmpty ? "" : TextTable.cell(cell)
            text += printed
            if index < widths.count {
                text += String(repeating: " ", count: max(2, widths[index] - printed.count))
            }
        }
        while text.last == " " { text.removeLast() }
        return text
    }
}
