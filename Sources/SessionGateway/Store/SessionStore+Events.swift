internal import GRDB
public import SessionSDK

extension SessionStore {
    /// Appends an entry to a session's activity log.
    ///
    /// - Throws: `NOT_FOUND` for an unknown session (in `workspace`, when given).
    @discardableResult
    public func appendEvent(
        session: SessionID, workspace: WorkspaceID? = nil, type: String, message: String,
        fromState: SessionState? = nil, toState: SessionState? = nil, actor: String = "", now: Double = SessionStore.now()
    ) async throws(SessionError) -> SessionEvent {
        try await write { db in
            guard try SessionRow.fetch(db, id: session, workspace: workspace) != nil else {
                throw Self.sessionNotFound(session)
            }
            try db.cachedStatement(sql: """
                INSERT INTO events (session_id, type, message, from_state, to_state, time, actor) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [session.rawValue, type, message, fromState?.rawValue, toState?.rawValue, now, actor])
            return SessionEvent(
                id: db.lastInsertedRowID, session: session, type: type, message: message, fromState: fromState,
                toState: toState, time: now, actor: actor)
        }
    }

    /// Appends entries of one type to a session's activity log in one transaction, in
    /// order (the lines of a build log).
    ///
    /// - Throws: `NOT_FOUND` for an unknown session.
    public func appendEvents(
        session: SessionID, type: String, messages: [String], now: Double = SessionStore.now()
    ) async throws(SessionError) {
        guard !messages.isEmpty else { return }
        try await write { db in
            guard try SessionRow.fetch(db, id: session, workspace: nil) != nil else {
                throw Self.sessionNotFound(session)
            }
            let insert = try db.cachedStatement(sql: "INSERT INTO events (session_id, type, message, time, actor) VALUES (?, ?, ?, ?, '')")
            for message in messages {
                try insert.execute(arguments: [session.rawValue, type, message, now])
            }
        }
    }

    /// How many entries of `type` a session's activity log holds.
    public func eventCount(session: SessionID, type: String) async throws(SessionError) -> Int {
        try await read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM events WHERE session_id = ? AND type = ?", arguments: [session.rawValue, type]) ?? 0
        }
    }

    /// A page of a session's activity log, oldest first, paged like
    /// ``listSessions(workspace:filter:pageSize:pageToken:)``.
    ///
    /// - Throws: `NOT_FOUND` when the session does not exist in `workspace`,
    ///   `INVALID_ARGUMENT` for a bad page size or token.
    public func events(
        session: SessionID, workspace: WorkspaceID, pageSize: Int = 0, pageToken: String = ""
    ) async throws(SessionError) -> StorePage<SessionEvent> {
        let limit = try self.pageSize(pageSize)
        let query = Fingerprint.of(["events", workspace.rawValue, session.rawValue])
        let after = try tokens.decode(pageToken, query: query)
        let afterID = try after.map { token throws(SessionError) -> Int64 in
            guard let id = Int64(token.id) else { throw PageTokenCodec.invalid }
            return id
        } ?? 0
        let events = try await read { db in
            guard try SessionRow.fetch(db, id: session, workspace: workspace) != nil else {
                throw Self.sessionNotFound(session)
            }
            return try Row.fetchAll(
                db, sql: """
                    SELECT id, type, message, from_state, to_state, time, actor FROM events
                    WHERE session_id = ? AND id > ? ORDER BY id LIMIT ?
                    """,
                arguments: [session.rawValue, afterID, limit + 1]
            ).map { row in
                SessionEvent(
                    id: row[0], session: session, type: row[1], message: row[2],
                    fromState: (row[3] as String?).flatMap(SessionState.init(rawValue:)),
                    toState: (row[4] as String?).flatMap(SessionState.init(rawValue:)), time: row[5], actor: row[6])
            }
        }
        return page(of: events, limit: limit, query: query) { (0, String($0.id)) }
    }
}
