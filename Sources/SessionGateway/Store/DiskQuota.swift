internal import GRDB
public import SessionSDK

/// A compute environment's disk limit, which the home volumes it makes for a
/// workspace's sessions share. The store checks it in the same transaction that adds or
/// grows a home volume, so concurrent creates cannot both take the last of it.
public struct DiskQuota: Hashable, Sendable {
    /// The compute environment.
    public var computeEnvironment: String
    /// The bytes its sessions' new home volumes may add up to.
    public var limitBytes: Int64

    /// Creates a quota.
    public init(computeEnvironment: String, limitBytes: Int64) {
        self.computeEnvironment = computeEnvironment
        self.limitBytes = limitBytes
    }

    /// The quota of a compute environment.
    public init(_ environment: ComputeEnvironment) {
        self.init(computeEnvironment: environment.id, limitBytes: environment.diskLimitBytes)
    }

    /// The bytes of the limit the workspace's other sessions in the environment (all but
    /// `excluding`) leave.
    func available(workspace: WorkspaceID, excluding: SessionID?, in db: Database) throws -> Int64 {
        limitBytes - (try used(workspace: workspace, excluding: excluding, in: db))
    }

    private func used(workspace: WorkspaceID, excluding: SessionID?, in db: Database) throws -> Int64 {
        try Int64.fetchOne(
            db.cachedStatement(sql: """
                SELECT COALESCE(SUM(home_volume_bytes), 0) FROM sessions
                WHERE workspace = ? AND compute_environment = ? AND id != ?
                """),
            arguments: [workspace.rawValue, computeEnvironment, excluding?.rawValue ?? ""]) ?? 0
    }

    /// Refuses `requested` bytes of home volume for a session of `workspace` (not
    /// counting the session `excluding`, whose volume is being resized) when the
    /// environment's sessions would then use more than the limit.
    ///
    /// - Throws: `RESOURCE_EXHAUSTED` saying what is in use and what was asked.
    func enforce(requested: Int64, workspace: WorkspaceID, excluding: SessionID?, in db: Database) throws {
        let used = try used(workspace: workspace, excluding: excluding, in: db)
        guard used + requested <= limitBytes else {
            throw SessionError(
                .resourceExhausted,
                "compute environment '\(computeEnvironment)' has \(used) of its \(limitBytes) bytes of session storage in use; a home volume of \(requested) bytes does not fit. Delete sessions or ask for less")
        }
    }
}
