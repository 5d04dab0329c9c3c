public import SessionSDK

/// One entry of a session's activity log: a state change, a checkpoint, a failure,
/// an edit, for people to read.
public struct SessionEvent: Hashable, Sendable, Identifiable {
    /// Increases with every entry of the store.
    public var id: Int64
    /// The session.
    public var session: SessionID
    /// What kind of entry, in upper case: `STATE_CHANGED`, `CHECKPOINT`, `ERROR`, ...
    public var type: String
    /// What happened, for people.
    public var message: String
    /// The state before, for state changes.
    public var fromState: SessionState?
    /// The state after, for state changes.
    public var toState: SessionState?
    /// Seconds since the Unix epoch.
    public var time: Double

    /// Creates an entry.
    public init(
        id: Int64, session: SessionID, type: String, message: String, fromState: SessionState? = nil,
        toState: SessionState? = nil, time: Double
    ) {
        self.id = id
        self.session = session
        self.type = type
        self.message = message
        self.fromState = fromState
        self.toState = toState
        self.time = time
    }
}
