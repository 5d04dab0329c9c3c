public import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// `sessiongw.v1.CheckpointService`: a session's checkpoints, listed, read and renamed.
public struct CheckpointServiceHandler: RPCService {
    let store: SessionStore
    let access: AccessControl

    /// Creates the service.
    public init(store: SessionStore, access: AccessControl) {
        self.store = store
        self.access = access
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.unary(CheckpointServiceMethods.listCheckpoints, access: access) {
            (request: V1ListCheckpointsRequest, grant) throws(SessionError) in
            let session = try SessionID(validating: request.sessionID)
            let page = try await store.checkpoints(
                session: session, workspace: grant.workspace, pageSize: Int(request.pageSize), pageToken: request.pageToken)
            let inherited = request.pageToken.isEmpty
                ? try await store.inheritedCheckpoints(of: session, workspace: grant.workspace) : []
            return V1ListCheckpointsResponse(
                checkpoints: page.items.map { V1Checkpoint($0, workspace: grant.workspace) }, nextPageToken: page.nextPageToken,
                inherited: inherited.map { V1Checkpoint($0, workspace: grant.workspace) })
        }
        router.unary(CheckpointServiceMethods.getCheckpoint, access: access) {
            (request: V1GetCheckpointRequest, grant) throws(SessionError) in
            let checkpoint = try await store.checkpoint(
                id: try CheckpointID(validating: request.checkpointID), workspace: grant.workspace)
            return V1Checkpoint(checkpoint, workspace: grant.workspace)
        }
        router.unary(CheckpointServiceMethods.renameCheckpoint, access: access, target: { $0.checkpointID }) {
            (request: V1RenameCheckpointRequest, grant) throws(SessionError) in
            let id = try CheckpointID(validating: request.checkpointID)
            let current = try await store.checkpoint(id: id, workspace: grant.workspace)
            // A checkpoint belongs to whoever owns its session; one whose session is gone, to nobody.
            let owner = (try? await store.session(id: current.session, workspace: grant.workspace))?.owner ?? ""
            try grant.requireOwnership(of: owner)
            let checkpoint = try await store.renameCheckpoint(id: id, to: request.newName, workspace: grant.workspace)
            return V1Checkpoint(checkpoint, workspace: grant.workspace)
        }
    }
}
