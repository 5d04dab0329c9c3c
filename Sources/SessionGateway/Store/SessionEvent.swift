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
    /// Who asked, for entries recording a caller's request; empty for the gateway's own work.
    public var actor: String

    /// Creates an entry.
    public init(
        id: Int64, session: SessionID, type: String, message: String, fromState: SessionState? = nil,
        toState: SessionState? = nil, time: Double, actor: String = ""
    ) {
        self.id = id
        self.session = session
        self.type = type
        self.message = message
        self.fromState = fromState
        self.toState = toState
        self.time = time
        self.actor = actor
    }

    /// What kind of entry a type is, as the API reports it.
    public enum Kind: Sendable, Hashable {
        /// The state changed.
        case stateChanged
        /// A caller asked for something.
        case action
        /// A checkpoint was taken.
        case checkpoint
        /// Something a person should know that did not change the state.
        case warning
        /// A failure.
        case error
        /// A line of the environment build's output.
        case buildLog
    }

    /// The type of a line of the environment build's output.
    public static let buildLogType = "BUILD_LOG"

    /// The types recording a caller's request, with its ``actor``.
    public static let actionTypes: Set<String> = [
        "CREATED", "UPDATED", "PAUSE_REQUESTED", "RESUME_REQUESTED", "DELETE_REQUESTED",
    ]

    /// The kind of this entry; types the gateway does not know are warnings.
    public var kind: Kind {
        switch type {
        case "STATE_CHANGED": .stateChanged
        case "CHECKPOINT": .checkpoint
        case "ERROR": .error
        case Self.buildLogType: .buildLog
        case _ where Self.actionTypes.contains(type): .action
        default: .warning
        }
    }
}
