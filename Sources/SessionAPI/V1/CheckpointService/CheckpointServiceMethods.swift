public import RPCTransport

/// Sessions' checkpoints. Checkpoints are taken by the gateway (on start,
/// periodically, on pause) and removed with the last session that references them.
///
/// The methods of `sessiongw.v1.CheckpointService`, for routing and for clients.
public enum CheckpointServiceMethods {
    /// The fully qualified service name.
    public static let service = "sessiongw.v1.CheckpointService"

    /// Lists checkpoints, newest first, a page at a time.
    ///
    /// Unary: ``V1ListCheckpointsRequest`` → ``V1ListCheckpointsResponse``.
    public static let listCheckpoints = RPCMethod(service: service, method: "ListCheckpoints")

    /// Returns one checkpoint. NOT_FOUND when there is none with that id in the
    /// workspace.
    ///
    /// Unary: ``V1GetCheckpointRequest`` → ``V1Checkpoint``.
    public static let getCheckpoint = RPCMethod(service: service, method: "GetCheckpoint")

    /// Renames a checkpoint; spaces in the new name become underscores. ALREADY_EXISTS
    /// when another checkpoint of the same session has that name.
    ///
    /// Unary: ``V1RenameCheckpointRequest`` → ``V1Checkpoint``.
    public static let renameCheckpoint = RPCMethod(service: service, method: "RenameCheckpoint")

    /// Every method of the service.
    public static let all: [RPCMethod] = [
        listCheckpoints,
        getCheckpoint,
        renameCheckpoint,
    ]
}
