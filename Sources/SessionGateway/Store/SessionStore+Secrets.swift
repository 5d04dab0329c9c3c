internal import Foundation
internal import GRDB
public import SessionSDK

extension SessionStore {
    /// The most secrets a workspace may hold.
    public static let maxSecretsPerWorkspace = 1000

    /// Records a secret with its sealed value; with `replace`, sets a new value (and
    /// environment variable) of an existing one, keeping its creation time.
    ///
    /// - Returns: the secret as stored.
    /// - Throws: `ALREADY_EXISTS` for a name in use without `replace`, or an environment
    ///   variable another secret of the workspace has; `RESOURCE_EXHAUSTED` past
    ///   ``maxSecretsPerWorkspace``; `NOT_FOUND` for an unknown workspace.
    @discardableResult
    public func putSecret(
        _ secret: StoredSecret, sealed: [UInt8], replace: Bool
    ) async throws(SessionError) -> StoredSecret {
        try await write { db in
            try Self.requireWorkspace(secret.workspace, in: db)
            var stored = secret
            if let created = try Double.fetchOne(
                db, sql: "SELECT created_at FROM secrets WHERE workspace = ? AND name = ?",
                arguments: [secret.workspace.rawValue, secret.name])
            {
                guard replace else {
                    throw SessionError(
                        .alreadyExists,
                        "secret '\(secret.name)' already exists in workspace '\(secret.workspace)'; set replace to give it a new value")
                }
                stored.createdAt = created
            } else {
                let count = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM secrets WHERE workspace = ?", arguments: [secret.workspace.rawValue]) ?? 0
                guard count < Self.maxSecretsPerWorkspace else {
                    throw SessionError(
                        .resourceExhausted,
                        "workspace '\(secret.workspace)' holds \(count) secrets, the most it may; delete one first")
                }
            }
            if let variable = secret.environmentVariable, let other = try String.fetchOne(
                db, sql: "SELECT name FROM secrets WHERE workspace = ? AND environment_variable = ? AND name != ?",
                arguments: [secret.workspace.rawValue, variable, secret.name])
            {
                throw SessionError(
                    .alreadyExists, "secret '\(other)' already gives sessions the environment variable \(variable)")
            }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO secrets
                        (workspace, name, environment_variable, sealed, created_at, updated_at, updated_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    stored.workspace.rawValue, stored.name, stored.environmentVariable, Data(sealed), stored.createdAt,
                    stored.updatedAt, stored.updatedBy,
                ])
            return stored
        }
    }

    /// A workspace's secrets by name, without their values.
    public func secrets(in workspace: WorkspaceID) async throws(SessionError) -> [StoredSecret] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT name, environment_variable, created_at, updated_at, updated_by FROM secrets
                    WHERE workspace = ? ORDER BY name
                    """,
                arguments: [workspace.rawValue]
            ).map { row in
                StoredSecret(
                    workspace: workspace, name: row["name"], environmentVariable: row["environment_variable"],
                    createdAt: row["created_at"], updatedAt: row["updated_at"], updatedBy: row["updated_by"])
            }
        }
    }

    /// The sealed value of a secret; nil when the workspace has none of that name.
    public func sealedSecret(named name: String, in workspace: WorkspaceID) async throws(SessionError) -> [UInt8]? {
        try await read { db in
            try Data.fetchOne(
                db, sql: "SELECT sealed FROM secrets WHERE workspace = ? AND name = ?", arguments: [workspace.rawValue, name]
            ).map(Array.init)
        }
    }

    /// The sealed values of the workspace's bundle: the secrets with an environment
    /// variable.
    public func sealedBundle(in workspace: WorkspaceID) async throws(SessionError) -> [(variable: String, name: String, sealed: [UInt8])] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT environment_variable, name, sealed FROM secrets
                    WHERE workspace = ? AND environment_variable IS NOT NULL ORDER BY name
                    """,
                arguments: [workspace.rawValue]
            ).map { row in
                (variable: row["environment_variable"] as String, name: row["name"] as String, sealed: Array(row["sealed"] as Data))
            }
        }
    }

    /// Deletes a secret; deleting one that does not exist succeeds.
    public func deleteSecret(named name: String, in workspace: WorkspaceID) async throws(SessionError) {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM secrets WHERE workspace = ? AND name = ?", arguments: [workspace.rawValue, name])
        }
    }
}
