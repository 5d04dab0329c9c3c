internal import SessionSDK

/// A request the connection proxy lets through: whose, to which session, and where on
/// the backend it goes.
struct ForwardPlan: Sendable {
    /// The caller.
    var caller: ConnectionCaller
    /// The session's workspace.
    var workspace: WorkspaceID
    /// The session.
    var session: SessionID
    /// The backend.
    var target: BackendTarget
    /// The request target on the backend (path and query).
    var requestTarget: String
    /// The session's path prefix on the proxy, such as `/sessions/default/s-1/`.
    var prefix: String
    /// Whether the request asks to upgrade the connection (WebSocket): it is then
    /// tunnelled byte for byte once forwarded.
    var upgrade: Bool
}
