internal import GRDB
public import SessionSDK

extension SessionStore {
    /// Records a new session, or returns the existing one for a repeated request.
    ///
    /// Keyed by workspace and name, as CSI and CRI key creates: the same spec (and
    /// origin checkpoint) returns the existing session with `created == false`. The new
    /// session is PENDING, has a generated id (`s-` and 16 random characters) and the
    /// next store revision; it is recorded as ADDED in the change log. A clone
    /// (`clonedFrom`) also records that it references its origin checkpoint.
    ///
    /// - Throws: `ALREADY_EXISTS` naming the name when it is taken with another spec,
    ///   `NOT_FOUND` for an unknown workspace, data-link or origin checkpoint.
    public func createSession(
        workspace: WorkspaceID, name: String, owner: String, spec: SessionSpec, clonedFrom: CheckpointID? = nil,
        diskQuota: DiskQuota? = nil, now: Double = SessionStore.now()
    ) async throws(SessionError) -> (session: Session, created: Bool) {
        let feed = self.feed, rates = usageRates
        return try await write { db in
            try Self.requireWorkspace(workspace, in: db)
            if let existing = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(SessionRow.columns) FROM sessions WHERE workspace = ? AND name = ?"),
                arguments: [workspace.rawValue, name]
            ).map(SessionRow.session(from:)) {
                guard existing.spec == spec, existing.clonedFrom == clonedFrom else {
                    throw SessionError(
                        .alreadyExists,
                        "a session named '\(name)' already exists in workspace '\(workspace)' with a different spec; "
                            + "choose another name or delete '\(name)' first")
                }
                return (existing, false)
            }
            try Self.requireDataLinks(spec.dataLinks, workspace: workspace, in: db)
            try diskQuota?.enforce(requested: SessionRow.homeVolumeBytes(spec), workspace: workspace, excluding: nil, in: db)
            var session = Session(
                id: SessionID(rawValue: StoreIdentifiers.make(prefix: "s-")), workspace: workspace, name: name,
                owner: owner, spec: spec, clonedFrom: clonedFrom, createdAt: now, updatedAt: now, revision: 0)
            session.revision = try Self.nextRevision(db)
            try SessionRow.insert(session, into: db)
            if let clonedFrom {
                try CheckpointRow.insertReference(clonedFrom, session: session.id, workspace: workspace, in: db)
            }
            try Self.meter(session.id, as: session, rates: rates(session), now: now, in: db)
            try Self.recordChange(.added, of: session, revision: session.revision, now: now, in: db, feed: feed)
            return (session, true)
        }
    }

    /// The session with this id in `workspace`.
    ///
    /// - Throws: `NOT_FOUND` for an unknown id and for a session in another workspace,
    ///   with the same message, so the answer does not reveal that it exists.
    public func session(id: SessionID, workspace: WorkspaceID) async throws(SessionError) -> Session {
        try await read { db in
            guard let session = try SessionRow.fetch(db, id: id, workspace: workspace) else {
                throw Self.sessionNotFound(id)
            }
            return session
        }
    }

    /// The workspace of the session with this id, or nil when there is none.
    public func workspace(ofSession id: SessionID) async throws(SessionError) -> WorkspaceID? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT workspace FROM sessions WHERE id = ?", arguments: [id.rawValue])
                .map(WorkspaceID.init(rawValue:))
        }
    }

    /// A page of the workspace's sessions that match `filter`, in creation order (then
    /// by id), and the token for the next page.
    ///
    /// - Parameters:
    ///   - pageSize: 0 for the default (50); larger than the maximum (1000) is clamped.
    ///   - pageToken: empty for the first page, else the previous page's `nextPageToken`
    ///     for the same workspace and filter.
    /// - Throws: `INVALID_ARGUMENT` for a negative page size, and "page token is
    ///   invalid" for a token this store did not issue for this query.
    public func listSessions(
        workspace: WorkspaceID, filter: SessionFilter = SessionFilter(), pageSize: Int = 0, pageToken: String = ""
    ) async throws(SessionError) -> StorePage<Session> {
        let limit = try self.pageSize(pageSize)
        let query = Fingerprint.of(["sessions", workspace.rawValue] + filter.canonicalParts)
        let after = try tokens.decode(pageToken, query: query)
        var sql = "SELECT \(SessionRow.columns) FROM sessions AS s WHERE workspace = ?"
        var arguments: StatementArguments = [workspace.rawValue]
        if !filter.states.isEmpty {
            let states = filter.states.map(\.rawValue).sorted()
            sql += " AND state IN (\(Array(repeating: "?", count: states.count).joined(separator: ", ")))"
            arguments += StatementArguments(states)
        }
        if let environment = filter.computeEnvironment {
            sql += " AND compute_environment = ?"
            arguments += [environment]
        }
        if let owner = filter.owner {
            sql += " AND owner = ?"
            arguments += [owner]
        }
        for key in filter.labels.keys.sorted() {
            sql += " AND EXISTS (SELECT 1 FROM session_labels AS l WHERE l.session_id = s.id AND l.key = ? AND l.value = ?)"
            arguments += [key, filter.labels[key]]
        }
        if let after {
            sql += " AND (created_at > ? OR (created_at = ? AND id > ?))"
            arguments += [after.createdAt, after.createdAt, after.id]
        }
        sql += " ORDER BY created_at, id LIMIT ?"
        arguments += [limit + 1]
        let (statement, bound) = (sql, arguments)
        let sessions = try await read { db in
            try Row.fetchAll(db.cachedStatement(sql: statement), arguments: bound).map(SessionRow.session(from:))
        }
        return page(of: sessions, limit: limit, query: query, budget: (Self.pageBytes, \.estimatedMessageBytes)) {
            ($0.createdAt, $0.id.rawValue)
        }
    }

    /// The most bytes (as estimated) the sessions of one page may take: half the
    /// default 4 MiB message limit, which leaves room for what the API adds (data-link
    /// details, connected users). A page holds fewer sessions than asked for rather
    /// than more bytes; its token continues after the last one it holds.
    public static let pageBytes = 2 << 20

    /// The bytes of new home volumes that the environment's sessions in the workspace
    /// hold, leaving out the session named `excluding` (a create being repeated).
    public func homeVolumeBytes(
        workspace: WorkspaceID, computeEnvironment: String, excluding name: String
    ) async throws(SessionError) -> Int64 {
        try await read { db in
            try Int64.fetchOne(
                db.cachedStatement(sql: """
                    SELECT COALESCE(SUM(home_volume_bytes), 0) FROM sessions
                    WHERE workspace = ? AND compute_environment = ? AND name != ?
                    """),
                arguments: [workspace.rawValue, computeEnvironment, name]) ?? 0
        }
    }

    /// Every session of the workspace and the revision they are current at, read in
    /// one snapshot: what a watch sends first before the changes after that revision.
    public func sessionsSnapshot(workspace: WorkspaceID) async throws(SessionError) -> (sessions: [Session], revision: Int64) {
        try await read { db in
            let sessions = try Row.fetchAll(
                db, sql: "SELECT \(SessionRow.columns) FROM sessions WHERE workspace = ? ORDER BY created_at, id",
                arguments: [workspace.rawValue]
            ).map(SessionRow.session(from:))
            return (sessions, try Self.currentRevision(db))
        }
    }

    /// Sessions of every workspace in any of these states (all when empty), in creation
    /// order.
    public func sessions(inStates states: Set<SessionState>) async throws(SessionError) -> [Session] {
        let (condition, names) = Self.stateCondition(states)
        return try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(SessionRow.columns) FROM sessions\(condition) ORDER BY created_at, id",
                arguments: StatementArguments(names)
            ).map(SessionRow.session(from:))
        }
    }

    /// The summaries of every workspace's sessions in any of these states (all when
    /// empty), in creation order: what the reconciler walks.
    public func sessionSummaries(inStates states: Set<SessionState> = []) async throws(SessionError) -> [SessionSummary] {
        let (condition, names) = Self.stateCondition(states)
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT id, workspace, compute_environment, state, handle FROM sessions\(condition) ORDER BY created_at, id",
                arguments: StatementArguments(names)
            ).map { row in
                SessionSummary(
                    id: SessionID(rawValue: row[0]), workspace: WorkspaceID(rawValue: row[1]), computeEnvironment: row[2],
                    state: SessionState(rawValue: row[3]) ?? .unknown, handle: (row[4] as String?).map(SessionHandle.init(rawValue:)))
            }
        }
    }

    private static func stateCondition(_ states: Set<SessionState>) -> (String, [String]) {
        let names = states.map(\.rawValue).sorted()
        let condition = names.isEmpty
            ? "" : " WHERE state IN (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))"
        return (condition, names)
    }

    /// Changes a session in one transaction: reads it, lets `mutate` change it, and
    /// writes it back with the next store revision, recording MODIFIED in the change log.
    ///
    /// `mutate` runs inside the transaction: keep it short and free of I/O. An error it
    /// throws (for example a lifecycle refusal) leaves everything unchanged. When it
    /// changes nothing, nothing is written and no revision is used. It may change the
    /// name, owner, spec, state, reason, handle and connection; the store sets
    /// `updatedAt` and `revision`.
    ///
    /// - Parameters:
    ///   - workspace: the caller's workspace; nil for the gateway's own callers (the
    ///     reconciler) that act on any workspace.
    ///   - expectedRevision: the revision the caller read; nil to apply regardless.
    /// - Throws: `NOT_FOUND`, `ABORTED` when the session changed since
    ///   `expectedRevision`, `ALREADY_EXISTS` for a rename to a taken name, `NOT_FOUND`
    ///   for an unknown data-link, whatever `mutate` throws, and `INTERNAL` when
    ///   `mutate` changes the id, workspace, creation time or origin checkpoint.
    @discardableResult
    public func updateSession(
        id: SessionID, workspace: WorkspaceID? = nil, expectedRevision: Int64? = nil, diskQuota: DiskQuota? = nil,
        now: Double = SessionStore.now(), mutate: @escaping @Sendable (inout Session) throws(SessionError) -> Void
    ) async throws(SessionError) -> Session {
        let feed = self.feed, rates = usageRates
        return try await write { db in
            guard let current = try SessionRow.fetch(db, id: id, workspace: workspace) else {
                throw Self.sessionNotFound(id)
            }
            if let expectedRevision, expectedRevision != current.revision {
                throw SessionError(
                    .aborted,
                    "session '\(current.name)' changed since revision \(expectedRevision) (it is at \(current.revision)); "
                        + "read it again and retry")
            }
            var updated = current
            try mutate(&updated)
            updated.stateReason = Session.bounded(reason: updated.stateReason)
            guard updated.id == current.id, updated.workspace == current.workspace,
                  updated.createdAt == current.createdAt, updated.clonedFrom == current.clonedFrom
            else {
                throw SessionError(.internalError, "an update tried to change the identity of session '\(current.id)'")
            }
            updated.revision = current.revision
            updated.updatedAt = current.updatedAt
            guard updated != current else { return current }
            let requested = SessionRow.homeVolumeBytes(updated.spec)
            if let diskQuota, requested > SessionRow.homeVolumeBytes(current.spec) {
                try diskQuota.enforce(requested: requested, workspace: current.workspace, excluding: current.id, in: db)
            }
            if updated.name != current.name, try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM sessions WHERE workspace = ? AND name = ?)",
                arguments: [current.workspace.rawValue, updated.name]) == true
            {
                throw SessionError(
                    .alreadyExists, "a session named '\(updated.name)' already exists in workspace '\(current.workspace)'")
            }
            if updated.spec.dataLinks != current.spec.dataLinks {
                try Self.requireDataLinks(updated.spec.dataLinks, workspace: current.workspace, in: db)
            }
            updated.revision = try Self.nextRevision(db)
            updated.updatedAt = now
            try SessionRow.update(updated, previous: current, in: db)
            try Self.meter(updated.id, as: updated, rates: rates(updated), now: now, in: db)
            if updated.state != .running { try Self.forgetIdleMarks(of: updated.id, in: db) }
            try Self.recordChange(.modified, of: updated, revision: updated.revision, now: now, in: db, feed: feed)
            return updated
        }
    }

    /// Removes a session for good (after its backend resources are gone), with its
    /// labels, mounts and activity log, recording DELETED in the change log.
    ///
    /// In the same transaction, the checkpoints this deletion leaves unreferenced (the
    /// session's own that no clone references, and origin checkpoints of deleted
    /// sessions that it was the last to reference) are marked released and returned;
    /// the gateway deletes their data, then calls ``purgeCheckpoint(id:)``. Shared
    /// checkpoints are kept.
    ///
    /// - Throws: `NOT_FOUND` when there is no such session (in `workspace`, when given).
    @discardableResult
    public func deleteSession(
        id: SessionID, workspace: WorkspaceID? = nil, now: Double = SessionStore.now()
    ) async throws(SessionError) -> [Checkpoint] {
        let feed = self.feed
        return try await write { db in
            guard let session = try SessionRow.fetch(db, id: id, workspace: workspace) else {
                throw Self.sessionNotFound(id)
            }
            let released = try CheckpointRow.release(ofDeleting: session.id, in: db)
            try db.execute(sql: "DELETE FROM sessions WHERE id = ?", arguments: [id.rawValue])
            try Self.meter(session.id, as: nil, rates: .free, now: now, in: db)
            try db.execute(sql: "DELETE FROM utilization_samples WHERE session_id = ?", arguments: [id.rawValue])
            try Self.forgetIdleMarks(of: id, in: db)
            try db.execute(
                sql: "DELETE FROM deleted_sessions WHERE deleted_at < ?", arguments: [now - Self.deletedSessionRetention])
            try db.execute(
                sql: "INSERT OR REPLACE INTO deleted_sessions (id, workspace, deleted_at) VALUES (?, ?, ?)",
                arguments: [id.rawValue, session.workspace.rawValue, now])
            let revision = try Self.nextRevision(db)
            try Self.recordChange(
                .deleted, id: session.id, workspace: session.workspace, snapshot: nil, revision: revision, now: now,
                in: db, feed: feed)
            return released
        }
    }

    /// How long the store remembers a deleted session's id (30 days), so that deleting
    /// it again succeeds instead of answering `NOT_FOUND`.
    public static let deletedSessionRetention: Double = 30 * 24 * 3600

    /// Whether a session of `workspace` with this id was deleted within
    /// ``deletedSessionRetention``.
    public func wasDeleted(id: SessionID, workspace: WorkspaceID) async throws(SessionError) -> Bool {
        try await read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM deleted_sessions WHERE id = ? AND workspace = ?)",
                arguments: [id.rawValue, workspace.rawValue]) ?? false
        }
    }

    // MARK: Helpers

    /// The one message for a session that does not exist or is not visible.
    static func sessionNotFound(_ id: SessionID) -> SessionError {
        SessionError(.notFound, "session '\(id)' not found")
    }

    /// Checks that every data-link id names a link of the workspace.
    static func requireDataLinks(_ ids: [String], workspace: WorkspaceID, in db: Database) throws {
        let statement = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM data_links WHERE id = ? AND workspace = ?)")
        for id in ids where try Bool.fetchOne(statement, arguments: [id, workspace.rawValue]) != true {
            throw SessionError(.notFound, "data-link '\(id)' not found in workspace '\(workspace)'")
        }
    }

    /// A page of `items` (fetched with one extra to tell whether more follow): at most
    /// `limit` of them, and, with a `budget`, no more than fit its bytes (at least one).
    func page<Item>(
        of items: [Item], limit: Int, query: UInt64, budget: (bytes: Int, size: (Item) -> Int)? = nil,
        key: (Item) -> (Double, String)
    ) -> StorePage<Item> {
        var count = min(items.count, limit)
        if let budget {
            var total = 0
            for (index, item) in items.prefix(count).enumerated() {
                total += budget.size(item)
                if total > budget.bytes, index > 0 {  // at least one item, however large
                    count = index
                    break
                }
            }
        }
        guard items.count > count, let last = items.prefix(count).last else {
            return StorePage(items: items, nextPageToken: "")
        }
        let (time, id) = key(last)
        return StorePage(
            items: Array(items.prefix(count)), nextPageToken: tokens.encode(PageToken(query: query, time: time, id: id)))
    }
}
