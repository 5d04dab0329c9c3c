import RPCTransport
import SessionAPI

/// How a session's activity log looks to people.
enum SessionEventView {
    /// The columns of ``table(_:)``.
    static let columns = ["TIME", "TYPE", "STATE", "ACTOR", "MESSAGE"]

    /// One row per entry; STATE is `FROM -> TO` for state changes.
    static func table(_ events: [V1SessionEvent]) -> TextTable {
        TextTable(columns: columns, rows: events.map { event in
            [
                HumanUnits.timestamp(event.time?.secondsSince1970 ?? 0),
                event.type.name,
                event.type == .stateChanged ? "\(event.fromState.name) -> \(event.toState.name)" : "",
                event.actor,
                event.message,
            ]
        })
    }
}
