/// A session as the gateway records it.
public struct Session: Hashable, Sendable, Identifiable, Codable {
    /// How to reach a running session's IDE.
    public struct Connection: Hashable, Sendable, Codable {
        /// The URL to open.
        public var url: String
        /// The token that grants access; returned only by the connection RPC.
        public var accessToken: String
        /// Where the session's agent listens (`HOST:PORT`), for the gateway alone; nil
        /// when the session runs without one. Never shown to callers.
        public var agentAddress: String?

        /// Creates connection info.
        public init(url: String, accessToken: String, agentAddress: String? = nil) {
            self.url = url
            self.accessToken = accessToken
            self.agentAddress = agentAddress
        }
    }

    /// The session's id.
    public var id: SessionID
    /// The workspace it belongs to.
    public var workspace: WorkspaceID
    /// Its name, unique in the workspace.
    public var name: String
    /// Who created it.
    public var owner: String
    /// What was asked for.
    public var spec: SessionSpec
    /// Where it is in its lifecycle.
    public var state: SessionState
    /// Why it is in that state, for people (queue reason, failure, progress).
    public var stateReason: String
    /// The checkpoint it was cloned from, if any.
    public var clonedFrom: CheckpointID?
    /// The provider's opaque handle, once it has one.
    public var handle: SessionHandle?
    /// The connection, once running.
    public var connection: Connection?
    /// Seconds since the Unix epoch when created and last changed.
    public var createdAt: Double
    /// Seconds since the Unix epoch of the last change.
    public var updatedAt: Double
    /// Increases with every change; watchers resume from it.
    public var revision: Int64

    /// Creates a session record.
    public init(
        id: SessionID, workspace: WorkspaceID, name: String, owner: String, spec: SessionSpec,
        state: SessionState = .pending, stateReason: String = "", clonedFrom: CheckpointID? = nil,
        handle: SessionHandle? = nil, connection: Connection? = nil, createdAt: Double, updatedAt: Double,
        revision: Int64
    ) {
        self.id = id
        self.workspace = workspace
        self.name = name
        self.owner = owner
        self.spec = spec
        self.state = state
        self.stateReason = stateReason
        self.clonedFrom = clonedFrom
        self.handle = handle
        self.connection = connection
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revision = revision
    }
}
