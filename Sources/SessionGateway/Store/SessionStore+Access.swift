internal import GRDB
public import SessionSDK

extension SessionStore {
    // MARK: Members

    /// Makes `caller` a member of the workspace with `role`, or changes its role.
    ///
    /// - Throws: `NOT_FOUND` for an unknown workspace, `INVALID_ARGUMENT` for an empty caller.
    public func setMember(
        _ caller: String, role: Role, in workspace: WorkspaceID, now: Double = SessionStore.now()
    ) async throws(SessionError) {
        guard !caller.isEmpty, caller.count <= 256 else {
            throw SessionError(.invalidArgument, "a member's name must have 1 to 256 characters")
        }
        try await write { db in
            try Self.requireWorkspace(workspace, in: db)
            try db.execute(
                sql: """
                    INSERT INTO members (workspace, caller, role, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (workspace, caller) DO UPDATE SET role = excluded.role
                    """,
                arguments: [workspace.rawValue, caller, role.rawValue, now])
        }
    }

    /// Removes `caller` from the workspace; removing a non-member does nothing.
    ///
    /// - Returns: whether it was a member.
    @discardableResult
    public func removeMember(_ caller: String, from workspace: WorkspaceID) async throws(SessionError) -> Bool {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM members WHERE workspace = ? AND caller = ?", arguments: [workspace.rawValue, caller])
            return db.changesCount > 0
        }
    }

    /// The workspace's members and their roles, by name.
    public func members(of workspace: WorkspaceID) async throws(SessionError) -> [(caller: String, role: Role)] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT caller, role FROM members WHERE workspace = ? ORDER BY caller",
                arguments: [workspace.rawValue]
            ).map { row in (row[0], Role(rawValue: row[1]) ?? .view) }
        }
    }

    /// The role of `caller` in the workspace, nil when it is not a member.
    public func role(of caller: String, in workspace: WorkspaceID) async throws(SessionError) -> Role? {
        try await read { db in
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT role FROM members WHERE workspace = ? AND caller = ?"),
                arguments: [workspace.rawValue, caller]
            ).flatMap(Role.init(rawValue:))
        }
    }

    // MARK: Tokens

    /// Records a token by the SHA-256 hash of its value (the value itself is never
    /// stored).
    ///
    /// - Throws: `ALREADY_EXISTS` when a token with the same hash exists.
    public func addToken(_ token: APIToken, sha256: String) async throws(SessionError) {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM api_tokens WHERE sha256 = ?)", arguments: [sha256])
                == false
            else {
                throw SessionError(.alreadyExists, "a token with the same value is already recorded")
            }
            try db.execute(
                sql: """
                    INSERT INTO api_tokens (id, caller, sha256, description, created_at, expires_at, revoked_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token.id, token.caller, sha256, token.description, token.createdAt, token.expiresAt, token.revokedAt,
                ])
        }
    }

    /// The token whose value hashes to `sha256`, revoked or not.
    public func token(sha256: String) async throws(SessionError) -> APIToken? {
        try await read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(Self.tokenColumns) FROM api_tokens WHERE sha256 = ?"), arguments: [sha256]
            ).map(Self.token(from:))
        }
    }

    /// The token with this id, revoked or not; nil for an unknown id. One indexed
    /// lookup, for checks made on every request (a link ticket's token).
    public func token(id: String) async throws(SessionError) -> APIToken? {
        try await read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(Self.tokenColumns) FROM api_tokens WHERE id = ?"), arguments: [id]
            ).map(Self.token(from:))
        }
    }

    /// Every token, oldest first.
    public func tokens() async throws(SessionError) -> [APIToken] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.tokenColumns) FROM api_tokens ORDER BY created_at, id")
                .map(Self.token(from:))
        }
    }

    /// Revokes a token: it authenticates no call from now on. Revoking a revoked
    /// token does nothing.
    ///
    /// - Throws: `NOT_FOUND` for an unknown id.
    public func revokeToken(id: String, now: Double = SessionStore.now()) async throws(SessionError) {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", arguments: [now, id])
            guard db.changesCount > 0 else { throw SessionError(.notFound, "token '\(id.prefix(100))' not found") }
        }
    }

    private static let tokenColumns = "id, caller, description, created_at, expires_at, revoked_at"

    private static func token(from row: Row) -> APIToken {
        APIToken(
            id: row[0], caller: row[1], description: row[2], createdAt: row[3], expiresAt: row[4], revokedAt: row[5])
    }

    // MARK: Audit

    /// Appends one entry to the audit trail.
    public func appendAudit(_ entry: AuditEntry) async throws(SessionError) {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO audit_log (time, caller, workspace, action, target, result) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [entry.time, entry.caller, entry.workspace, entry.action, entry.target, entry.result])
        }
    }

    /// The audit trail of a workspace (all workspaces when nil), oldest first, at most `limit` entries.
    public func auditEntries(workspace: WorkspaceID? = nil, limit: Int = 1000) async throws(SessionError) -> [AuditEntry] {
        try await read { db in
            var sql = "SELECT time, caller, workspace, action, target, result FROM audit_log"
            var arguments: StatementArguments = []
            if let workspace {
                sql += " WHERE workspace = ?"
                arguments += [workspace.rawValue]
            }
            sql += " ORDER BY id LIMIT ?"
            arguments += [max(0, limit)]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                AuditEntry(time: row[0], caller: row[1], workspace: row[2], action: row[3], target: row[4], result: row[5])
            }
        }
    }
}
