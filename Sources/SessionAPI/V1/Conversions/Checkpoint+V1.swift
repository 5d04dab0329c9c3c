internal import RPCTransport
public import SessionSDK

extension V1Checkpoint {
    /// The message of a checkpoint for a response. The provider's `location` is not
    /// part of the public API; the workspace is the checkpoint's session's.
    public init(_ checkpoint: Checkpoint, workspace: WorkspaceID) {
        self.init(
            id: checkpoint.id.rawValue,
            workspace: workspace.rawValue,
            sessionID: checkpoint.session.rawValue,
            name: checkpoint.name,
            trigger: V1CheckpointTrigger(checkpoint.trigger),
            sizeBytes: checkpoint.sizeBytes,
            createTime: ProtobufTimestamp(secondsSince1970: checkpoint.createdAt)
        )
    }
}
