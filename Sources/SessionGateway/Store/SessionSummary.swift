public import SessionSDK

/// What the reconciler needs to know of a session, read without decoding its spec, so
/// that a pass over many thousands of sessions stays cheap.
public struct SessionSummary: Hashable, Sendable {
    /// The session.
    public var id: SessionID
    /// Its workspace.
    public var workspace: WorkspaceID
    /// Its compute environment.
    public var computeEnvironment: String
    /// Its stored state.
    public var state: SessionState
    /// Its backend handle, once the backend has one.
    public var handle: SessionHandle?

    /// Creates a summary.
    public init(id: SessionID, workspace: WorkspaceID, computeEnvironment: String, state: SessionState, handle: SessionHandle?) {
        self.id = id
        self.workspace = workspace
        self.computeEnvironment = computeEnvironment
        self.state = state
        self.handle = handle
    }
}
