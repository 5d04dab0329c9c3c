internal import GRDB
public import SessionSDK

extension SessionStore {
    /// When each signal of running sessions last showed activity (``IdleTracker``), by
    /// session; a session without marks (not running, or not looked at yet) is absent.
    public func idleMarks(of sessions: [SessionID]) async throws(SessionError) -> [SessionID: [IdleSignal: Double]] {
        guard !sessions.isEmpty else { return [:] }
        let ids = sessions.map(\.rawValue)
        return try await read { db in
            var marks: [SessionID: [IdleSignal: Double]] = [:]
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT session_id, signal, last_active FROM idle_marks
                        WHERE session_id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))
                        """,
                    arguments: StatementArguments(chunk))
                for row in rows {
                    guard let signal = IdleSignal(rawValue: row["signal"]) else { continue }
                    marks[SessionID(rawValue: row["session_id"]), default: [:]][signal] = row["last_active"]
                }
            }
            return marks
        }
    }

    /// Records a running session's marks. A session that is no longer running keeps
    /// none: its marks were forgotten when it stopped, and a look that raced with the
    /// stop must not bring them back.
    ///
    /// - Returns: whether the session was running and the marks were recorded.
    @discardableResult
    public func recordIdleMarks(_ marks: [IdleSignal: Double], of id: SessionID) async throws(SessionError) -> Bool {
        try await write { db in
            let running = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM sessions WHERE id = ? AND state = ?)",
                arguments: [id.rawValue, SessionState.running.rawValue]) ?? false
            guard running else { return false }
            for (signal, time) in marks {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO idle_marks (session_id, signal, last_active) VALUES (?, ?, ?)",
                    arguments: [id.rawValue, signal.rawValue, time])
            }
            return true
        }
    }

    /// Forgets a session's marks when it stops running or is deleted, in that change's
    /// transaction: a resumed session starts its idle time afresh.
    static func forgetIdleMarks(of id: SessionID, in db: Database) throws {
        try db.execute(sql: "DELETE FROM idle_marks WHERE session_id = ?", arguments: [id.rawValue])
    }
}
