public import Foundation

/// Something active on a session's compute, for the session panel: one of the session's
/// terminals, or a notebook kernel or terminal of the Jupyter server serving as its IDE.
public struct SessionActivity: Hashable, Sendable {
    /// What kind of thing it is.
    public enum Kind: Hashable, Sendable {
        /// One of the session's terminals (``TerminalHost``).
        case terminal
        /// A notebook kernel of the session's Jupyter server.
        case notebookKernel
        /// A terminal of the session's Jupyter server.
        case jupyterTerminal
    }

    /// Its kind.
    public var kind: Kind
    /// Its id among its kind: a terminal's name, a kernel's id.
    public var id: String
    /// What a person calls it: a terminal's name, a kernel's notebook path.
    public var name: String
    /// When it started; nil when its server does not say.
    public var startedAt: Date?
    /// When it last did something; nil when its server does not say.
    public var lastActivityAt: Date?
    /// Its state as its server says: `running` or `exited`, a kernel's execution state.
    public var state: String

    /// An activity.
    public init(kind: Kind, id: String, name: String, startedAt: Date? = nil, lastActivityAt: Date? = nil, state: String) {
        self.kind = kind
        self.id = id
        self.name = name
        self.startedAt = startedAt
        self.lastActivityAt = lastActivityAt
        self.state = state
    }
}
