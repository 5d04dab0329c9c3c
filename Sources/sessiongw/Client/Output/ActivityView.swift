import RPCTransport
import SessionAPI

/// How a session's activities look to people.
enum ActivityView {
    /// The columns of ``table(_:now:)``.
    static let columns = ["KIND", "ID", "NAME", "STATE", "STARTED", "LAST ACTIVITY"]

    /// One row per activity; ages count to `now`.
    static func table(_ activities: [V1Activity], now: Double) -> TextTable {
        TextTable(columns: columns, rows: activities.map { activity in
            [
                kind(activity.kind),
                activity.id,
                activity.name,
                activity.state,
                activity.startTime.map { HumanUnits.age(of: $0.secondsSince1970, now: now) } ?? "-",
                activity.lastActivityTime.map { HumanUnits.age(of: $0.secondsSince1970, now: now) } ?? "-",
            ]
        })
    }

    /// The kind as `activity shutdown` takes it.
    static func kind(_ kind: V1ActivityKind) -> String {
        switch kind {
        case .terminal: "terminal"
        case .notebookKernel: "kernel"
        case .jupyterTerminal: "jupyter-terminal"
        case .unspecified, .unrecognized: "?"
        }
    }
}
