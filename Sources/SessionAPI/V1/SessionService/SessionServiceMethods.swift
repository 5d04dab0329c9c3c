public import RPCTransport

/// Interactive compute sessions.
///
/// The methods of `sessiongw.v1.SessionService`, for routing and for clients.
public enum SessionServiceMethods {
    /// The fully qualified service name.
    public static let service = "sessiongw.v1.SessionService"

    /// Creates a session from a preset on a compute environment; it starts PENDING.
    /// Idempotent on workspace and name: the same spec returns the existing session,
    /// a different spec fails with ALREADY_EXISTS.
    ///
    /// Unary: ``V1CreateSessionRequest`` → ``V1Session``.
    public static let createSession = RPCMethod(service: service, method: "CreateSession")

    /// Returns one session. NOT_FOUND when there is none with that id in the workspace.
    ///
    /// Unary: ``V1GetSessionRequest`` → ``V1Session``.
    public static let getSession = RPCMethod(service: service, method: "GetSession")

    /// Lists the sessions of a workspace that match a filter, a page at a time, in
    /// order of creation.
    ///
    /// Unary: ``V1ListSessionsRequest`` → ``V1ListSessionsResponse``.
    public static let listSessions = RPCMethod(service: service, method: "ListSessions")

    /// Streams the sessions of a workspace that match a filter: the current state first
    /// (unless resuming from a revision), then every change, until the caller cancels.
    ///
    /// Server-streaming: ``V1WatchSessionsRequest`` → a stream of ``V1WatchSessionsResponse``.
    public static let watchSessions = RPCMethod(service: service, method: "WatchSessions")

    /// Changes the fields of a session's spec named in `update_mask`. Changes of
    /// compute, environment variables, volumes and data-links need a PAUSED session and
    /// are refused otherwise with FAILED_PRECONDITION saying so; labels and the
    /// duration limit can change at any time.
    ///
    /// Unary: ``V1UpdateSessionRequest`` → ``V1Session``.
    public static let updateSession = RPCMethod(service: service, method: "UpdateSession")

    /// Releases a session's compute and keeps its storage, after a final checkpoint.
    /// Pausing a PAUSED session succeeds and does nothing; a session that is still
    /// starting cannot be paused (FAILED_PRECONDITION).
    ///
    /// Unary: ``V1PauseSessionRequest`` → ``V1Session``.
    public static let pauseSession = RPCMethod(service: service, method: "PauseSession")

    /// Starts a paused session again with its storage reattached; it goes through
    /// PENDING back to RUNNING. Resuming a RUNNING session succeeds and does nothing.
    ///
    /// Unary: ``V1ResumeSessionRequest`` → ``V1Session``.
    public static let resumeSession = RPCMethod(service: service, method: "ResumeSession")

    /// Tears down a session's compute and storage; irreversible. Refused with
    /// FAILED_PRECONDITION while the session holds compute unless `force` is set.
    /// Deleting a deleted session succeeds.
    ///
    /// Unary: ``V1DeleteSessionRequest`` → ``V1DeleteSessionResponse``.
    public static let deleteSession = RPCMethod(service: service, method: "DeleteSession")

    /// Creates a new session from a checkpoint of another ("add as new"), with its own
    /// isolated future. The preset, compute environment and duration limit are those of
    /// the checkpoint's session.
    ///
    /// Unary: ``V1CloneSessionRequest`` → ``V1Session``.
    public static let cloneSession = RPCMethod(service: service, method: "CloneSession")

    /// Returns the URL and access token of a RUNNING session's IDE.
    /// FAILED_PRECONDITION, naming the state, when the session is not RUNNING.
    ///
    /// Unary: ``V1GetSessionConnectionRequest`` → ``V1Connection``.
    public static let getSessionConnection = RPCMethod(service: service, method: "GetSessionConnection")

    /// Lists a session's activity log, oldest first, a page at a time.
    ///
    /// Unary: ``V1ListSessionEventsRequest`` → ``V1ListSessionEventsResponse``.
    public static let listSessionEvents = RPCMethod(service: service, method: "ListSessionEvents")

    /// Every method of the service.
    public static let all: [RPCMethod] = [
        createSession,
        getSession,
        listSessions,
        watchSessions,
        updateSession,
        pauseSession,
        resumeSession,
        deleteSession,
        cloneSession,
        getSessionConnection,
        listSessionEvents,
    ]
}
