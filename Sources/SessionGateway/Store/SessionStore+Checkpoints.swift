internal import GRDB
public import SessionSDK

extension SessionStore {
    /// The longest checkpoint name, in bytes.
    public static let maxCheckpointNameLength = 128

    /// A new checkpoint id: `c-` and 16 random characters.
    public static func newCheckpointID() -> CheckpointID {
        CheckpointID(rawValue: StoreIdentifiers.make(prefix: "c-"))
    }

    /// A checkpoint name as stored: spaces become underscores.
    ///
    /// - Throws: `INVALID_ARGUMENT` for an empty name, one with control characters or `/`,
    ///   or one longer than ``maxCheckpointNameLength`` bytes.
    public static func normalizeCheckpointName(_ name: String) throws(SessionError) -> String {
        let normalized = String(name.map { $0 == " " ? "_" : $0 })
        guard !normalized.isEmpty, normalized.utf8.count <= maxCheckpointNameLength else {
            throw SessionError(
                .invalidArgument, "checkpoint name must have 1 to \(maxCheckpointNameLength) bytes")
        }
        guard !normalized.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "/" }) else {
            throw SessionError(.invalidArgument, "checkpoint name must not contain control characters or '/'")
        }
        return normalized
    }

    /// Records a checkpoint of a session, with its name normalized.
    ///
    /// - Returns: the checkpoint as stored.
    /// - Throws: `ALREADY_EXISTS` when the session has a checkpoint of that name (or the
    ///   id is taken), `NOT_FOUND` for an unknown session, `INVALID_ARGUMENT` for a bad name.
    @discardableResult
    public func addCheckpoint(_ checkpoint: Checkpoint) async throws(SessionError) -> Checkpoint {
        var stored = checkpoint
        stored.name = try Self.normalizeCheckpointName(checkpoint.name)
        return try await write { [stored] db in
            guard let session = try SessionRow.fetch(db, id: stored.session, workspace: nil) else {
                throw Self.sessionNotFound(stored.session)
            }
            try CheckpointRow.requireFreeName(stored.name, session: stored.session, in: db)
            guard try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM checkpoints WHERE id = ?)", arguments: [stored.id.rawValue]) != true
            else {
                throw SessionError(.alreadyExists, "checkpoint id '\(stored.id)' is already used")
            }
            try db.execute(
                sql: """
                    INSERT INTO checkpoints (id, session_id, workspace, name, trigger, size_bytes, location, created_at, compute_environment)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    stored.id.rawValue, stored.session.rawValue, session.workspace.rawValue, stored.name,
                    stored.trigger.rawValue, stored.sizeBytes, stored.location, stored.createdAt, session.spec.computeEnvironment,
                ])
            return stored
        }
    }

    /// The session's checkpoints, newest first.
    ///
    /// - Throws: `NOT_FOUND` when the session does not exist in `workspace`.
    public func checkpoints(session: SessionID, workspace: WorkspaceID) async throws(SessionError) -> [Checkpoint] {
        try await read { db in
            guard try SessionRow.fetch(db, id: session, workspace: workspace) != nil else {
                throw Self.sessionNotFound(session)
            }
            return try Row.fetchAll(
                db, sql: """
                    SELECT \(CheckpointRow.columns) FROM checkpoints
                    WHERE session_id = ? AND released_by IS NULL ORDER BY created_at DESC, id DESC
                    """,
                arguments: [session.rawValue]
            ).map(CheckpointRow.checkpoint(from:))
        }
    }

    /// A page of a session's checkpoints, newest first, and the token for the next page.
    ///
    /// - Parameters:
    ///   - pageSize: 0 for 100; larger than the maximum (1000) is clamped.
    /// - Throws: `NOT_FOUND` for a session not in `workspace`; `INVALID_ARGUMENT` for a
    ///   negative page size or a token of another listing.
    public func checkpoints(
        session: SessionID, workspace: WorkspaceID, pageSize: Int, pageToken: String
    ) async throws(SessionError) -> StorePage<Checkpoint> {
        let limit = try self.pageSize(pageSize == 0 ? 100 : pageSize)
        let query = Fingerprint.of(["checkpoints", workspace.rawValue, session.rawValue])
        let after = try tokens.decode(pageToken, query: query)
        let checkpoints = try await read { db in
            guard try SessionRow.fetch(db, id: session, workspace: workspace) != nil else {
                throw Self.sessionNotFound(session)
            }
            var sql = "SELECT \(CheckpointRow.columns) FROM checkpoints WHERE session_id = ? AND released_by IS NULL"
            var arguments: StatementArguments = [session.rawValue]
            if let after {
                sql += " AND (created_at < ? OR (created_at = ? AND id < ?))"
                arguments += [after.createdAt, after.createdAt, after.id]
            }
            sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
            arguments += [limit + 1]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(CheckpointRow.checkpoint(from:))
        }
        return page(of: checkpoints, limit: limit, query: query) { ($0.createdAt, $0.id.rawValue) }
    }

    /// The history a session inherits when it was added as new from a checkpoint of
    /// another: that checkpoint and the earlier ones its session still has, then
    /// likewise up the chain of sessions each was added from, newest first, at most
    /// `limit`. Empty for a session that was not cloned.
    ///
    /// - Throws: `NOT_FOUND` when the session does not exist in `workspace`.
    public func inheritedCheckpoints(
        of session: SessionID, workspace: WorkspaceID, limit: Int = 100
    ) async throws(SessionError) -> [Checkpoint] {
        try await read { db in
            guard let clone = try SessionRow.fetch(db, id: session, workspace: workspace) else {
                throw Self.sessionNotFound(session)
            }
            var inherited: [Checkpoint] = []
            var next = clone.clonedFrom
            var visited: Set<CheckpointID> = []
            while let id = next, inherited.count < limit, visited.insert(id).inserted {
                guard let origin = try? CheckpointRow.fetch(id, workspace: workspace, in: db) else { break }
                inherited += try Row.fetchAll(
                    db, sql: """
                        SELECT \(CheckpointRow.columns) FROM checkpoints
                        WHERE session_id = ? AND released_by IS NULL AND (created_at < ? OR id = ?)
                        ORDER BY created_at DESC, id DESC LIMIT ?
                        """,
                    arguments: [origin.session.rawValue, origin.createdAt, origin.id.rawValue, limit - inherited.count]
                ).map(CheckpointRow.checkpoint(from:))
                next = try SessionRow.fetch(db, id: origin.session, workspace: workspace)?.clonedFrom
            }
            return inherited
        }
    }

    /// A checkpoint, also one whose session was deleted while a clone still references it.
    ///
    /// - Throws: `NOT_FOUND` for an unknown or released checkpoint, or one in another
    ///   workspace (when `workspace` is given).
    public func checkpoint(id: CheckpointID, workspace: WorkspaceID? = nil) async throws(SessionError) -> Checkpoint {
        try await read { db in try CheckpointRow.fetch(id, workspace: workspace, in: db) }
    }

    /// Renames a checkpoint; the new name is normalized like a new one's.
    ///
    /// - Throws: `ALREADY_EXISTS` when another checkpoint of the session has that name,
    ///   `NOT_FOUND`, `INVALID_ARGUMENT`.
    @discardableResult
    public func renameCheckpoint(
        id: CheckpointID, to name: String, workspace: WorkspaceID? = nil
    ) async throws(SessionError) -> Checkpoint {
        let name = try Self.normalizeCheckpointName(name)
        return try await write { db in
            var checkpoint = try CheckpointRow.fetch(id, workspace: workspace, in: db)
            guard checkpoint.name != name else { return checkpoint }
            try CheckpointRow.requireFreeName(name, session: checkpoint.session, in: db)
            try db.execute(sql: "UPDATE checkpoints SET name = ? WHERE id = ?", arguments: [name, id.rawValue])
            checkpoint.name = name
            return checkpoint
        }
    }

    /// Records that `session` (a clone) references `checkpoint`, which then outlives
    /// its own session until `session` is deleted too. Recording it twice does nothing.
    ///
    /// - Throws: `NOT_FOUND` for an unknown session or checkpoint, or ones in different
    ///   workspaces.
    public func addCheckpointReference(checkpoint: CheckpointID, session: SessionID) async throws(SessionError) {
        try await write { db in
            guard let referencing = try SessionRow.fetch(db, id: session, workspace: nil) else {
                throw Self.sessionNotFound(session)
            }
            try CheckpointRow.insertReference(checkpoint, session: session, workspace: referencing.workspace, in: db)
        }
    }

    /// The checkpoints released by deleting `session`: no remaining session references
    /// them, so their data may be deleted. Repeatable until they are purged.
    ///
    /// - Throws: `FAILED_PRECONDITION` while the session still exists.
    public func releaseCheckpoints(ofDeletedSession session: SessionID) async throws(SessionError) -> [Checkpoint] {
        try await read { db in
            guard try SessionRow.fetch(db, id: session, workspace: nil) == nil else {
                throw SessionError(
                    .failedPrecondition, "session '\(session)' still exists; its checkpoints are released when it is deleted")
            }
            return try Row.fetchAll(
                db, sql: "SELECT \(CheckpointRow.columns) FROM checkpoints WHERE released_by = ? ORDER BY created_at, id",
                arguments: [session.rawValue]
            ).map(CheckpointRow.checkpoint(from:))
        }
    }

    /// Every released checkpoint whose data the gateway has not yet confirmed deleted:
    /// what the reconciler finishes after a restart.
    public func releasedCheckpoints() async throws(SessionError) -> [Checkpoint] {
        try await read { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT \(CheckpointRow.columns) FROM checkpoints WHERE released_by IS NOT NULL ORDER BY created_at, id
                    """
            ).map(CheckpointRow.checkpoint(from:))
        }
    }

    /// The workspace and compute environment whose backend holds a checkpoint's data
    /// (the session's environment when it was taken); nil for an unknown checkpoint or
    /// one recorded before the store kept environments.
    public func checkpointHolder(id: CheckpointID) async throws(SessionError) -> (workspace: WorkspaceID, computeEnvironment: String)? {
        try await read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT workspace, compute_environment FROM checkpoints WHERE id = ?", arguments: [id.rawValue]),
                let environment = row[1] as String?
            else { return nil }
            return (WorkspaceID(rawValue: row[0]), environment)
        }
    }

    /// Forgets a released checkpoint once its data is deleted. Forgetting one that is
    /// gone does nothing.
    ///
    /// - Throws: `FAILED_PRECONDITION` for a checkpoint that is not released.
    public func purgeCheckpoint(id: CheckpointID) async throws(SessionError) {
        try await write { db in
            let released = try Row.fetchOne(
                db, sql: "SELECT released_by FROM checkpoints WHERE id = ?", arguments: [id.rawValue])
            guard let released else { return }
            guard (released[0] as String?) != nil else {
                throw SessionError(.failedPrecondition, "checkpoint '\(id)' is still in use and cannot be deleted")
            }
            try db.execute(sql: "DELETE FROM checkpoint_references WHERE checkpoint_id = ?", arguments: [id.rawValue])
            try db.execute(sql: "DELETE FROM checkpoints WHERE id = ?", arguments: [id.rawValue])
        }
    }
}
