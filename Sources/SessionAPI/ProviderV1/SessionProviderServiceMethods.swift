public import RPCTransport

/// A backend that runs sessions.
///
/// The methods of `sessiongw.provider.v1.SessionProviderService`, for routing and for clients.
public enum SessionProviderServiceMethods {
    /// The fully qualified service name.
    public static let service = "sessiongw.provider.v1.SessionProviderService"

    /// The provider's name, version and capabilities; stable for the provider's life.
    ///
    /// Unary: ``ProviderV1GetIdentityRequest`` → ``ProviderV1GetIdentityResponse``.
    public static let getIdentity = RPCMethod(service: service, method: "GetIdentity")

    /// Whether the backend can take work now. UNAVAILABLE when it cannot be reached at
    /// all.
    ///
    /// Unary: ``ProviderV1ProbeRequest`` → ``ProviderV1ProbeResponse``.
    public static let probe = RPCMethod(service: service, method: "Probe")

    /// Starts compute for a new session (or, with `restore_from`, a clone). Idempotent
    /// on the session id: a repeated call returns the existing session's status and
    /// starts nothing new. Returns quickly, typically PENDING.
    ///
    /// Unary: ``ProviderV1CreateSessionRequest`` → ``ProviderV1CreateSessionResponse``.
    public static let createSession = RPCMethod(service: service, method: "CreateSession")

    /// Takes a final checkpoint (with the CHECKPOINTS capability), then releases
    /// compute and keeps storage. Pausing a paused session does nothing. NOT_FOUND when
    /// the handle names nothing; UNIMPLEMENTED without PAUSE_RESUME.
    ///
    /// Unary: ``ProviderV1PauseSessionRequest`` → ``ProviderV1PauseSessionResponse``.
    public static let pauseSession = RPCMethod(service: service, method: "PauseSession")

    /// Starts compute again with the same storage. Resuming a running session does
    /// nothing. NOT_FOUND when the handle names nothing; UNIMPLEMENTED without
    /// PAUSE_RESUME.
    ///
    /// Unary: ``ProviderV1ResumeSessionRequest`` → ``ProviderV1ResumeSessionResponse``.
    public static let resumeSession = RPCMethod(service: service, method: "ResumeSession")

    /// Tears down compute and storage. An unknown handle succeeds.
    ///
    /// Unary: ``ProviderV1DeleteSessionRequest`` → ``ProviderV1DeleteSessionResponse``.
    public static let deleteSession = RPCMethod(service: service, method: "DeleteSession")

    /// The session's current state as the backend sees it. NOT_FOUND when the backend
    /// has no such session (it was removed outside the gateway).
    ///
    /// Unary: ``ProviderV1DescribeSessionRequest`` → ``ProviderV1DescribeSessionResponse``.
    public static let describeSession = RPCMethod(service: service, method: "DescribeSession")

    /// Every session the backend runs for this gateway, found by the marks the provider
    /// puts on its resources, so the gateway can find resources no session owns.
    ///
    /// Unary: ``ProviderV1ListSessionsRequest`` → ``ProviderV1ListSessionsResponse``.
    public static let listSessions = RPCMethod(service: service, method: "ListSessions")

    /// State changes as they happen, until the gateway cancels. Only with the WATCH
    /// capability (UNIMPLEMENTED otherwise; the gateway then polls DescribeSession).
    ///
    /// Server-streaming: ``ProviderV1WatchSessionsRequest`` → a stream of ``ProviderV1WatchSessionsResponse``.
    public static let watchSessions = RPCMethod(service: service, method: "WatchSessions")

    /// Takes a checkpoint of a running or paused session's filesystem, excluding
    /// mounted data. Only with the CHECKPOINTS capability.
    ///
    /// Unary: ``ProviderV1CreateCheckpointRequest`` → ``ProviderV1CreateCheckpointResponse``.
    public static let createCheckpoint = RPCMethod(service: service, method: "CreateCheckpoint")

    /// Removes a checkpoint's data; removing a removed checkpoint succeeds. Called only
    /// when no session references the checkpoint any more. Only with CHECKPOINTS.
    ///
    /// Unary: ``ProviderV1DeleteCheckpointRequest`` → ``ProviderV1DeleteCheckpointResponse``.
    public static let deleteCheckpoint = RPCMethod(service: service, method: "DeleteCheckpoint")

    /// Re-attaches to a session after a gateway restart, from its stored handle.
    /// NOT_FOUND when nothing of the session is left.
    ///
    /// Unary: ``ProviderV1RecoverSessionRequest`` → ``ProviderV1RecoverSessionResponse``.
    public static let recoverSession = RPCMethod(service: service, method: "RecoverSession")

    /// Runs a command inside the session's environment (its filesystem and mounts) and
    /// waits for it. Only with the EXECUTE capability.
    ///
    /// Unary: ``ProviderV1ExecuteRequest`` → ``ProviderV1ExecuteResponse``.
    public static let execute = RPCMethod(service: service, method: "Execute")

    /// Every method of the service.
    public static let all: [RPCMethod] = [
        getIdentity,
        probe,
        createSession,
        pauseSession,
        resumeSession,
        deleteSession,
        describeSession,
        listSessions,
        watchSessions,
        createCheckpoint,
        deleteCheckpoint,
        recoverSession,
        execute,
    ]
}
