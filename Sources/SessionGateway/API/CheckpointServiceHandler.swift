public import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// `sessiongw.v1.CheckpointService`: a session's checkpoints, listed, read and renamed.
public struct CheckpointServiceHandler: RPCService {
    let store: SessionStore

    /// Creates the service.
    public init(store: SessionStore) {
        self.store = store
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.unary(CheckpointServiceMethods.listCheckpoints) { (request: V1ListCheckpointsRequest, _) in
            try await answering { () async throws(SessionError) in
                let workspace = try WorkspaceID(validating: request.workspace)
                let checkpoints = try await store.checkpoints(
                    session: try SessionID(validating: request.sessionID), workspace: workspace)
                return V1ListCheckpointsResponse(
                    checkpoints: checkpoints.map { V1Checkpoint($0, workspace: workspace) }, nextPageToken: "")
            }
        }
        router.unary(CheckpointServiceMethods.getCheckpoint) { (request: V1GetCheckpointRequest, _) in
            try await answering { () async throws(SessionError) in
                let workspace = try WorkspaceID(validating: request.workspace)
                let checkpoint = try await store.checkpoint(
                    id: try CheckpointID(validating: request.checkpointID), workspace: workspace)
                return V1Checkpoint(checkpoint, workspace: workspace)
            }
        }
        router.unary(CheckpointServiceMethods.renameCheckpoint) { (request: V1RenameCheckpointRequest, _) in
            try await answering { () async throws(SessionError) in
                let workspace = try WorkspaceID(validating: request.workspace)
                let checkpoint = try await store.renameCheckpoint(
                    id: try CheckpointID(validating: request.checkpointID), to: request.newName, workspace: workspace)
                return V1Checkpoint(checkpoint, workspace: workspace)
            }
        }
    }
}
