internal import GRDB
public import SessionSDK

/// Retention: pruning what grows with use (``GatewayConfiguration/Retention``); the
/// change log is pruned by ``pruneChanges(keepingLatest:)``.
extension SessionStore {
    /// Keeps only the newest `keep` activity log entries of each session.
    ///
    /// - Returns: how many entries were removed.
    @discardableResult
    public func pruneEvents(keepingLatestPerSession keep: Int) async throws(SessionError) -> Int {
        guard keep >= 0 else { throw SessionError(.invalidArgument, "the number of entries to keep must not be negative") }
        return try await write { db in
            let crowded = try String.fetchAll(
                db, sql: "SELECT session_id FROM events GROUP BY session_id HAVING COUNT(*) > ?", arguments: [keep])
            var removed = 0
            for session in crowded {
                try db.execute(
                    sql: """
                        DELETE FROM events WHERE session_id = ? AND id <= (
                            SELECT id FROM events WHERE session_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)
                        """,
                    arguments: [session, session, keep])
                removed += db.changesCount
            }
            return removed
        }
    }

    /// Removes audit trail entries written before `cutoff` (seconds since 1970).
    ///
    /// - Returns: how many entries were removed.
    @discardableResult
    public func pruneAudit(before cutoff: Double) async throws(SessionError) -> Int {
        try await write { db in
            // Entries are appended in time order: walk the oldest ids up to the first one kept.
            let firstKept = try Int64.fetchOne(
                db, sql: "SELECT id FROM audit_log WHERE time >= ? ORDER BY id LIMIT 1", arguments: [cutoff])
            try db.execute(sql: "DELETE FROM audit_log WHERE id < ?", arguments: [firstKept ?? Int64.max])
            return db.changesCount
        }
    }
}
