internal import GRDB
import SessionSDK

/// Reading and writing the `checkpoints` and `checkpoint_references` tables.
enum CheckpointRow {
    /// The columns ``checkpoint(from:)`` reads.
    static let columns = "id, session_id, name, trigger, size_bytes, location, created_at"

    /// The checkpoint a row holds.
    static func checkpoint(from row: Row) -> Checkpoint {
        let trigger: String = row[3]
        return Checkpoint(
            id: CheckpointID(rawValue: row[0]), session: SessionID(rawValue: row[1]), name: row[2],
            trigger: Checkpoint.Trigger(rawValue: trigger) ?? .periodic, sizeBytes: row[4], location: row[5],
            createdAt: row[6])
    }

    /// A checkpoint that is not released, in `workspace` when given.
    static func fetch(_ id: CheckpointID, workspace: WorkspaceID?, in db: Database) throws -> Checkpoint {
        var sql = "SELECT \(columns) FROM checkpoints WHERE id = ? AND released_by IS NULL"
        var arguments: StatementArguments = [id.rawValue]
        if let workspace {
            sql += " AND workspace = ?"
            arguments += [workspace.rawValue]
        }
        guard let row = try Row.fetchOne(db, sql: sql, arguments: arguments) else {
            throw SessionError(.notFound, "checkpoint '\(id)' not found")
        }
        return checkpoint(from: row)
    }

    /// Checks that no checkpoint of the session has this name.
    static func requireFreeName(_ name: String, session: SessionID, in db: Database) throws {
        guard try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM checkpoints WHERE session_id = ? AND name = ?)",
            arguments: [session.rawValue, name]) != true
        else {
            throw SessionError(
                .alreadyExists, "session '\(session)' already has a checkpoint named '\(name)'; choose another name")
        }
    }

    /// Records that a session references a checkpoint of its workspace.
    static func insertReference(_ checkpoint: CheckpointID, session: SessionID, workspace: WorkspaceID, in db: Database) throws {
        _ = try fetch(checkpoint, workspace: workspace, in: db)
        try db.execute(
            sql: "INSERT OR IGNORE INTO checkpoint_references (checkpoint_id, session_id) VALUES (?, ?)",
            arguments: [checkpoint.rawValue, session.rawValue])
    }

    /// Before a session row is deleted: drops the session's references and marks as
    /// released (by it) every checkpoint it owned or referenced that no other remaining
    /// session owns or references. Returns them.
    static func release(ofDeleting session: SessionID, in db: Database) throws -> [Checkpoint] {
        let id = session.rawValue
        let candidates = try String.fetchAll(
            db, sql: """
                SELECT id FROM checkpoints WHERE released_by IS NULL AND session_id = ?
                UNION
                SELECT c.id FROM checkpoint_references AS r JOIN checkpoints AS c ON c.id = r.checkpoint_id
                WHERE r.session_id = ? AND c.released_by IS NULL
                """,
            arguments: [id, id])
        try db.execute(sql: "DELETE FROM checkpoint_references WHERE session_id = ?", arguments: [id])
        var released: [Checkpoint] = []
        for candidate in candidates {
            let referenced = try Bool.fetchOne(
                db, sql: """
                    SELECT EXISTS (
                        SELECT 1 FROM checkpoints AS c JOIN sessions AS s ON s.id = c.session_id
                        WHERE c.id = ?1 AND s.id != ?2
                        UNION ALL
                        SELECT 1 FROM checkpoint_references AS r JOIN sessions AS s ON s.id = r.session_id
                        WHERE r.checkpoint_id = ?1 AND s.id != ?2
                    )
                    """,
                arguments: [candidate, id]) ?? true
            guard !referenced else { continue }
            try db.execute(sql: "UPDATE checkpoints SET released_by = ? WHERE id = ?", arguments: [id, candidate])
            if let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM checkpoints WHERE id = ?", arguments: [candidate]) {
                released.append(checkpoint(from: row))
            }
        }
        return released.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }
}
