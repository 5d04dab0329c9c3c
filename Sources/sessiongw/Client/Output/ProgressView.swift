import SessionAPI

/// The lines `--wait` prints while a session moves through its states.
enum ProgressView {
    /// `[  1.2s] demo  STARTING: starting the IDE`: the time since the wait began,
    /// the session's name, its state and the reason when there is one.
    static func line(_ session: V1Session, elapsed: Duration) -> String {
        let time = HumanUnits.elapsed(elapsed)
        let padded = String(repeating: " ", count: max(0, 6 - time.count)) + time
        let reason = session.stateReason.isEmpty ? "" : ": " + TextTable.cell(session.stateReason)
        return "[\(padded)] \(TextTable.cell(session.name))  \(session.state.name)\(reason)"
    }

    /// The line for a session that was deleted while the client waited.
    static func deletedLine(name: String, elapsed: Duration) -> String {
        let time = HumanUnits.elapsed(elapsed)
        return "[\(String(repeating: " ", count: max(0, 6 - time.count)) + time)] \(TextTable.cell(name))  deleted"
    }
}
