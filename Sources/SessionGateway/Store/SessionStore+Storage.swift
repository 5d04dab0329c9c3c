internal import GRDB
public import SessionSDK

extension SessionStore {
    /// The bytes of `quota`'s limit that the other sessions of `workspace` in its compute
    /// environment leave for session `id`'s home.
    func storageAvailable(for id: SessionID, workspace: WorkspaceID, quota: DiskQuota) async throws(SessionError) -> Int64 {
        try await read { db in try quota.available(workspace: workspace, excluding: id, in: db) }
    }
}
