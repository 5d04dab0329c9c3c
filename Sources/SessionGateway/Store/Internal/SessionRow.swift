internal import GRDB
import SessionSDK

/// Reading and writing the `sessions` table and the tables kept in step with it.
enum SessionRow {
    /// The columns, in the order ``insert(_:into:)`` binds them.
    static let columns = """
        id, workspace, name, owner, state, state_reason, compute_environment, cloned_from, handle, \
        connection, spec, created_at, updated_at, revision, home_volume_bytes
        """

    /// The session a row holds.
    static func session(from row: Row) throws -> Session {
        let connection: String? = row[9]
        let state: String = row[4]
        return Session(
            id: SessionID(rawValue: row[0]),
            workspace: WorkspaceID(rawValue: row[1]),
            name: row[2],
            owner: row[3],
            spec: try StoreJSON.decode(SessionSpecRecord.self, from: row[10]).spec,
            state: SessionState(rawValue: state) ?? .unknown,
            stateReason: row[5],
            clonedFrom: (row[7] as String?).map(CheckpointID.init(rawValue:)),
            handle: (row[8] as String?).map(SessionHandle.init(rawValue:)),
            connection: try connection.map { try StoreJSON.decode(ConnectionRecord.self, from: $0).connection },
            createdAt: row[11],
            updatedAt: row[12],
            revision: row[13])
    }

    /// The session with this id, in `workspace` when given.
    static func fetch(_ db: Database, id: SessionID, workspace: WorkspaceID?) throws -> Session? {
        let row: Row?
        if let workspace {
            row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(columns) FROM sessions WHERE id = ? AND workspace = ?"),
                arguments: [id.rawValue, workspace.rawValue])
        } else {
            row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(columns) FROM sessions WHERE id = ?"), arguments: [id.rawValue])
        }
        return try row.map(session(from:))
    }

    /// Inserts a new session and its labels and data-link mounts.
    static func insert(_ session: Session, into db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO sessions (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: StatementArguments(try values(session)))
        try replaceSatellites(of: session, previous: nil, in: db)
    }

    /// Writes every field of an existing session.
    static func update(_ session: Session, previous: Session, in db: Database) throws {
        var arguments = try values(session)
        let id = arguments.removeFirst()
        arguments.append(id)
        try db.cachedStatement(sql: """
            UPDATE sessions SET workspace = ?, name = ?, owner = ?, state = ?, state_reason = ?,
                compute_environment = ?, cloned_from = ?, handle = ?, connection = ?, spec = ?,
                created_at = ?, updated_at = ?, revision = ?, home_volume_bytes = ?
            WHERE id = ?
            """).execute(arguments: StatementArguments(arguments))
        try replaceSatellites(of: session, previous: previous, in: db)
    }

    private static func values(_ session: Session) throws -> [(any DatabaseValueConvertible)?] {
        [
            session.id.rawValue, session.workspace.rawValue, session.name, session.owner, session.state.rawValue,
            session.stateReason, session.spec.computeEnvironment, session.clonedFrom?.rawValue,
            session.handle?.rawValue, try session.connection.map { try StoreJSON.encode(ConnectionRecord($0)) },
            try StoreJSON.encode(SessionSpecRecord(session.spec)),
            session.createdAt, session.updatedAt, session.revision, homeVolumeBytes(session.spec),
        ]
    }

    /// The size of the home volume the session has made for it; 0 for an existing one.
    static func homeVolumeBytes(_ spec: SessionSpec) -> Int64 {
        guard case .new(let size) = spec.homeVolume else { return 0 }
        return size
    }

    /// Keeps `session_labels` and `session_data_links` equal to the spec.
    private static func replaceSatellites(of session: Session, previous: Session?, in db: Database) throws {
        let id = session.id.rawValue
        if previous?.spec.labels != session.spec.labels {
            if previous != nil {
                try db.cachedStatement(sql: "DELETE FROM session_labels WHERE session_id = ?").execute(arguments: [id])
            }
            let insert = try db.cachedStatement(sql: "INSERT INTO session_labels (session_id, key, value) VALUES (?, ?, ?)")
            for (key, value) in session.spec.labels { try insert.execute(arguments: [id, key, value]) }
        }
        if previous?.spec.dataLinks != session.spec.dataLinks {
            if previous != nil {
                try db.cachedStatement(sql: "DELETE FROM session_data_links WHERE session_id = ?").execute(arguments: [id])
            }
            let insert = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO session_data_links (session_id, data_link_id) VALUES (?, ?)")
            for link in session.spec.dataLinks { try insert.execute(arguments: [id, link]) }
        }
    }
}
