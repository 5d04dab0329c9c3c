public import SessionSDK

/// One committed change to a session, as recorded in the store's change log.
///
/// Every change bumps the store's global revision, so changes are totally ordered:
/// a watcher that has seen revision `r` resumes with ``SessionStore/changes(since:workspace:limit:)``
/// or ``SessionStore/watchChanges(workspace:after:)`` from `r`.
public struct SessionChange: Hashable, Sendable {
    /// What happened to the session.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The session was created.
        case added = "ADDED"
        /// The session changed.
        case modified = "MODIFIED"
        /// The session was removed from the store.
        case deleted = "DELETED"
    }

    /// The store revision this change made.
    public var revision: Int64
    /// The session.
    public var sessionID: SessionID
    /// The session's workspace.
    public var workspace: WorkspaceID
    /// What happened.
    public var kind: Kind
    /// The session as the change left it; nil for ``Kind/deleted``.
    public var session: Session?

    /// Creates a change record.
    public init(revision: Int64, sessionID: SessionID, workspace: WorkspaceID, kind: Kind, session: Session?) {
        self.revision = revision
        self.sessionID = sessionID
        self.workspace = workspace
        self.kind = kind
        self.session = session
    }
}
