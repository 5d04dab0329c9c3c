import RPCTransport
import SessionAPI

/// How terminals look to people.
enum TerminalView {
    /// The columns of ``table(_:now:)``.
    static let columns = ["NAME", "COMMAND", "STATUS", "ATTACHED", "CREATED", "LAST ATTACHED"]

    /// One row per terminal; ages count to `now`.
    static func table(_ terminals: [V1Terminal], now: Double) -> TextTable {
        TextTable(columns: columns, rows: terminals.map { terminal in
            [
                terminal.name,
                terminal.command.joined(separator: " "),
                status(of: terminal),
                terminal.attached ? "yes" : "no",
                HumanUnits.age(of: terminal.createTime?.secondsSince1970 ?? 0, now: now),
                terminal.lastAttachTime.map { HumanUnits.age(of: $0.secondsSince1970, now: now) } ?? "never",
            ]
        })
    }

    /// `running`, `exited 3` or `killed by signal 9`.
    static func status(of terminal: V1Terminal) -> String {
        switch terminal.exit {
        case .exitCode(let code): "exited \(code)"
        case .exitSignal(let signal): "killed by signal \(signal)"
        case nil: terminal.running ? "running" : "stopped"
        }
    }
}
