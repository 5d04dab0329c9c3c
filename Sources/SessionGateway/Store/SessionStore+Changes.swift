internal import GRDB
public import SessionSDK

extension SessionStore {
    /// The store's current revision: that of the newest committed change (0 when none).
    public func currentRevision() async throws(SessionError) -> Int64 {
        try await read { db in try Self.currentRevision(db) }
    }

    /// The changes after `revision`, oldest first: at most `limit` of them, of
    /// `workspace` (every workspace when nil).
    ///
    /// - Parameters:
    ///   - limit: 0 for the default page size; larger than the maximum is clamped.
    /// - Throws: `INVALID_ARGUMENT` for a negative limit or a revision newer than the
    ///   current one, `FAILED_PRECONDITION` when the changes after `revision` were pruned
    ///   (list again, then watch from the listing's revision).
    public func changes(
        since revision: Int64, workspace: WorkspaceID? = nil, limit: Int = 0
    ) async throws(SessionError) -> [SessionChange] {
        try await changeBatch(after: revision, workspace: workspace, limit: try pageSize(limit)).changes
    }

    /// Every change of `workspace` (every workspace when nil) after `revision`, as it
    /// is committed: first those already in the log, then new ones as they happen.
    ///
    /// The stream is pulled, not pushed: a consumer that falls behind costs nothing
    /// but a position, and catches up from the shared window of recent changes or from
    /// the change log. It ends when the consuming task is cancelled or the store is
    /// closed, and throws what ``changes(since:workspace:limit:)`` throws.
    public func watchChanges(workspace: WorkspaceID?, after revision: Int64) -> SessionChangeStream {
        SessionChangeStream(store: self, workspace: workspace, revision: revision)
    }

    /// Deletes change records, keeping the newest `keep`, so the log does not grow
    /// without bound. Watchers further behind than that must list again.
    ///
    /// - Returns: the newest pruned revision (0 when none was ever pruned).
    @discardableResult
    public func pruneChanges(keepingLatest keep: Int) async throws(SessionError) -> Int64 {
        guard keep >= 0 else { throw SessionError(.invalidArgument, "the number of changes to keep must not be negative") }
        return try await write { db in
            let through = try Self.currentRevision(db) - Int64(keep)
            let pruned = try Self.prunedThrough(db)
            guard through > pruned else { return pruned }
            try db.execute(sql: "DELETE FROM changes WHERE revision <= ?", arguments: [through])
            try db.execute(
                sql: "INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)",
                arguments: [StoreSchema.MetaKey.prunedThrough, String(through)])
            return through
        }
    }

    /// Changes after `revision`, and the revision through which the answer is complete:
    /// from the in-memory window when it reaches back far enough, else from the log.
    func changeBatch(
        after revision: Int64, workspace: WorkspaceID?, limit: Int
    ) async throws(SessionError) -> (changes: [SessionChange], through: Int64) {
        if revision >= 0, let recent = feed.recent(after: revision, workspace: workspace, limit: limit) {
            return recent
        }
        return try await read { db in
            let current = try Self.currentRevision(db)
            guard revision >= 0, revision <= current else {
                throw SessionError(
                    .invalidArgument, "revision \(revision) is not between 0 and the current revision \(current)")
            }
            let pruned = try Self.prunedThrough(db)
            guard revision >= pruned else {
                throw SessionError(
                    .failedPrecondition,
                    "changes up to revision \(pruned) were pruned; list the sessions again and watch from that listing's revision")
            }
            var sql = "SELECT revision, session_id, workspace, kind, snapshot FROM changes WHERE revision > ?"
            var arguments: StatementArguments = [revision]
            if let workspace {
                sql += " AND workspace = ?"
                arguments += [workspace.rawValue]
            }
            sql += " ORDER BY revision LIMIT ?"
            arguments += [limit]
            let changes = try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
                let snapshot: String? = row[4]
                let kind: String = row[3]
                return SessionChange(
                    revision: row[0], sessionID: SessionID(rawValue: row[1]), workspace: WorkspaceID(rawValue: row[2]),
                    kind: SessionChange.Kind(rawValue: kind) ?? .modified,
                    session: try snapshot.map { try StoreJSON.decode(SessionRecord.self, from: $0).session })
            }
            return (changes, changes.count == limit ? changes[changes.count - 1].revision : current)
        }
    }

    // MARK: Writing the log

    /// Bumps the global revision and returns the new value.
    static func nextRevision(_ db: Database) throws -> Int64 {
        try db.cachedStatement(sql: "UPDATE store_revision SET value = value + 1 WHERE id = 1").execute()
        return try currentRevision(db)
    }

    static func currentRevision(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM store_revision WHERE id = 1")) ?? 0
    }

    private static func prunedThrough(_ db: Database) throws -> Int64 {
        let text = try String.fetchOne(
            db, sql: "SELECT value FROM store_meta WHERE key = ?", arguments: [StoreSchema.MetaKey.prunedThrough])
        return text.flatMap { Int64($0) } ?? 0
    }

    /// Appends a change with the session's snapshot.
    static func recordChange(
        _ kind: SessionChange.Kind, of session: Session, revision: Int64, now: Double, in db: Database, feed: ChangeFeed
    ) throws {
        try recordChange(
            kind, id: session.id, workspace: session.workspace, snapshot: session, revision: revision, now: now, in: db,
            feed: feed)
    }

    /// Appends a change record and publishes it to watchers once the transaction commits.
    static func recordChange(
        _ kind: SessionChange.Kind, id: SessionID, workspace: WorkspaceID, snapshot: Session?, revision: Int64,
        now: Double, in db: Database, feed: ChangeFeed
    ) throws {
        try db.cachedStatement(sql: """
            INSERT INTO changes (revision, session_id, workspace, kind, snapshot, changed_at) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                revision, id.rawValue, workspace.rawValue, kind.rawValue, try snapshot.map { try StoreJSON.encode(SessionRecord($0)) }, now,
            ])
        let change = SessionChange(revision: revision, sessionID: id, workspace: workspace, kind: kind, session: snapshot)
        // Runs on the writer, after the commit is durable, in commit order.
        db.afterNextTransaction { _ in feed.publish(change) }
    }
}
