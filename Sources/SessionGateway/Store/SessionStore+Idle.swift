internal import GRDB
public import SessionSDK

extension SessionStore {
    /// When each signal of a running session last showed activity (``IdleTracker``);
    /// nil for a session without marks (not running, or not looked at yet).
    public func idleMarks(of session: SessionID) async throws(SessionError) -> [IdleSignal: Double]? {
        try await read { db in try Self.idleMarks(of: session, in: db) }
    }

    static func idleMarks(of session: SessionID, in db: Database) throws -> [IdleSignal: Double]? {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT signal, last_active FROM idle_marks WHERE session_id = ?"), arguments: [session.rawValue])
        guard !rows.isEmpty else { return nil }
        var marks: [IdleSignal: Double] = [:]
        for row in rows {
            if let signal = IdleSignal(rawValue: row["signal"]) { marks[signal] = row["last_active"] }
        }
        return marks
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
