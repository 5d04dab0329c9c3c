internal import GRDB
public import SessionSDK

extension SessionStore {
    /// How long a session's utilization samples are kept: 24 hours.
    public static let utilizationRetention: Double = 24 * 3600

    /// Records a sample of a session (once per sample time), and drops its samples
    /// older than ``utilizationRetention`` before `now`.
    public func recordUtilization(
        _ sample: UtilizationSample, of id: SessionID, now: Double = SessionStore.now()
    ) async throws(SessionError) {
        try await write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO utilization_samples (session_id, time, sample) VALUES (?, ?, ?)",
                arguments: [id.rawValue, sample.time, try StoreJSON.encode(UtilizationRecord(sample))])
            try db.execute(
                sql: "DELETE FROM utilization_samples WHERE session_id = ? AND time < ?",
                arguments: [id.rawValue, now - Self.utilizationRetention])
        }
    }

    /// A session's samples taken after `since`, oldest first.
    public func utilization(of id: SessionID, since: Double = 0) async throws(SessionError) -> [UtilizationSample] {
        try await read { db in
            try String.fetchAll(
                db, sql: "SELECT sample FROM utilization_samples WHERE session_id = ? AND time > ? ORDER BY time",
                arguments: [id.rawValue, since]
            ).map { try StoreJSON.decode(UtilizationRecord.self, from: $0).sample }
        }
    }

    /// The latest sample of a session; nil when it has none.
    public func latestUtilization(of id: SessionID) async throws(SessionError) -> UtilizationSample? {
        try await read { db in try Self.latestUtilization(of: id, in: db) }
    }

    static func latestUtilization(of id: SessionID, in db: Database) throws -> UtilizationSample? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT sample FROM utilization_samples WHERE session_id = ? ORDER BY time DESC LIMIT 1"),
            arguments: [id.rawValue]
        ).map { try StoreJSON.decode(UtilizationRecord.self, from: $0).sample }
    }
}
