internal import GRDB
public import SessionSDK

extension SessionStore {
    /// Records a data-link in a workspace under its normalized name (see
    /// ``DataLinkRules/normalizeName(_:)``); without a name, one is derived from the
    /// location. The id is generated: `d-` and 16 random characters.
    ///
    /// - Throws: `ALREADY_EXISTS` naming the normalized name when the workspace has a
    ///   link with it, `INVALID_ARGUMENT` for a name that normalizes to nothing,
    ///   `NOT_FOUND` for an unknown workspace.
    public func createDataLink(
        workspace: WorkspaceID, name: String?, location: DataLinkLocation, description: String = "",
        now: Double = SessionStore.now()
    ) async throws(SessionError) -> DataLink {
        let normalized: String
        if let name, !name.isEmpty {
            normalized = try DataLinkRules.normalizeName(name)
        } else {
            normalized = DataLinkRules.defaultName(for: location)
        }
        let link = DataLink(
            id: StoreIdentifiers.make(prefix: "d-"), workspace: workspace, name: normalized, location: location,
            description: description)
        return try await write { db in
            try Self.requireWorkspace(workspace, in: db)
            if let other = try String.fetchOne(
                db, sql: "SELECT id FROM data_links WHERE workspace = ? AND name = ?",
                arguments: [workspace.rawValue, normalized])
            {
                throw SessionError(
                    .alreadyExists,
                    "workspace '\(workspace)' already has a data-link named '\(normalized)' ('\(other)'); choose another name")
            }
            try db.execute(
                sql: """
                    INSERT INTO data_links (id, workspace, name, scheme, bucket, prefix, description, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    link.id, workspace.rawValue, normalized, location.scheme.rawValue, location.bucket, location.prefix,
                    description, now,
                ])
            return link
        }
    }

    /// The data-link with this id in `workspace`.
    ///
    /// - Throws: `NOT_FOUND`, also for a link in another workspace.
    public func dataLink(id: String, workspace: WorkspaceID) async throws(SessionError) -> DataLink {
        try await read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT \(Self.dataLinkColumns) FROM data_links WHERE id = ? AND workspace = ?",
                arguments: [id, workspace.rawValue])
            else {
                throw SessionError(.notFound, "data-link '\(id)' not found")
            }
            return try Self.dataLink(from: row)
        }
    }

    /// A page of the workspace's data-links in creation order, paged like
    /// ``listSessions(workspace:filter:pageSize:pageToken:)``.
    public func listDataLinks(
        workspace: WorkspaceID, pageSize: Int = 0, pageToken: String = ""
    ) async throws(SessionError) -> StorePage<DataLink> {
        let limit = try self.pageSize(pageSize)
        let query = Fingerprint.of(["data_links", workspace.rawValue])
        let after = try tokens.decode(pageToken, query: query)
        let links = try await read { db in
            var sql = "SELECT \(Self.dataLinkColumns) FROM data_links WHERE workspace = ?"
            var arguments: StatementArguments = [workspace.rawValue]
            if let after {
                sql += " AND (created_at > ? OR (created_at = ? AND id > ?))"
                arguments += [after.createdAt, after.createdAt, after.id]
            }
            sql += " ORDER BY created_at, id LIMIT ?"
            arguments += [limit + 1]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                (try Self.dataLink(from: row), row[7] as Double)
            }
        }
        let page = page(of: links, limit: limit, query: query) { ($0.1, $0.0.id) }
        return StorePage(items: page.items.map(\.0), nextPageToken: page.nextPageToken)
    }

    /// Removes a data-link.
    ///
    /// - Throws: `FAILED_PRECONDITION` naming a session that mounts it (sessions being
    ///   deleted count until they are gone), `NOT_FOUND`.
    public func deleteDataLink(id: String, workspace: WorkspaceID) async throws(SessionError) {
        try await write { db in
            guard let name = try String.fetchOne(
                db, sql: "SELECT name FROM data_links WHERE id = ? AND workspace = ?", arguments: [id, workspace.rawValue])
            else {
                throw SessionError(.notFound, "data-link '\(id)' not found")
            }
            if let user = try Row.fetchOne(
                db, sql: """
                    SELECT s.name, s.id, s.state FROM session_data_links AS m JOIN sessions AS s ON s.id = m.session_id
                    WHERE m.data_link_id = ? ORDER BY s.created_at, s.id LIMIT 1
                    """,
                arguments: [id])
            {
                let (session, sessionID, state): (String, String, String) = (user[0], user[1], user[2])
                throw SessionError(
                    .failedPrecondition,
                    "data-link '\(name)' is mounted by session '\(session)' (\(sessionID), \(state)); "
                        + "remove it from that session or delete the session first")
            }
            try db.execute(sql: "DELETE FROM data_links WHERE id = ?", arguments: [id])
        }
    }

    /// The data-links with these ids in `workspace`, in the order given: what the
    /// gateway resolves a spec's links with.
    ///
    /// - Throws: `NOT_FOUND` naming the first unknown id.
    public func dataLinks(ids: [String], workspace: WorkspaceID) async throws(SessionError) -> [DataLink] {
        try await read { db in try Self.dataLinks(ids: ids, workspace: workspace, skippingMissing: false, in: db) }
    }

    /// The data-links with these ids in `workspace`, in the order given; an unknown id
    /// is `NOT_FOUND`, or left out with `skippingMissing` (what a session's stored spec
    /// mounts now).
    static func dataLinks(ids: [String], workspace: WorkspaceID, skippingMissing: Bool, in db: Database) throws -> [DataLink] {
        try ids.compactMap { id in
            guard let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(Self.dataLinkColumns) FROM data_links WHERE id = ? AND workspace = ?"),
                arguments: [id, workspace.rawValue])
            else {
                if skippingMissing { return nil }
                throw SessionError(.notFound, "data-link '\(id)' not found in workspace '\(workspace)'")
            }
            return try Self.dataLink(from: row)
        }
    }

    private static let dataLinkColumns = "id, workspace, name, scheme, bucket, prefix, description, created_at"

    private static func dataLink(from row: Row) throws -> DataLink {
        let scheme: String = row[3]
        guard let parsed = DataLinkLocation.Scheme(rawValue: scheme) else {
            throw SessionError(.internalError, "data-link '\(row[0] as String)' has an unknown scheme '\(scheme)'")
        }
        return DataLink(
            id: row[0], workspace: WorkspaceID(rawValue: row[1]), name: row[2],
            location: DataLinkLocation(scheme: parsed, bucket: row[4], prefix: row[5]), description: row[6])
    }
}
