public import SessionSDK

/// What a signed link ticket grants: one caller, one session of one workspace, until it
/// expires. ``LinkTicketSigner`` makes and checks them; the connection proxy still
/// checks the caller's membership on every request.
public struct LinkTicket: Hashable, Sendable {
    /// Where a ticket may be presented.
    public enum Kind: String, Hashable, Sendable {
        /// Returned by `GetSessionConnection`: opens the link (`?access_token=`) or
        /// authenticates a request as a bearer token; short-lived.
        case link
        /// Set as a cookie when a link is opened; keeps a browser signed in.
        case cookie
    }

    /// Where it may be presented.
    public var kind: Kind
    /// The session's workspace.
    public var workspace: WorkspaceID
    /// The session.
    public var session: SessionID
    /// The caller it was issued to.
    public var caller: String
    /// Whether it was issued to the administrator token (every role in every workspace).
    public var administrator: Bool
    /// The API token it was obtained with, if any: revoking that token ends the ticket.
    public var tokenID: String?
    /// When it stops working, in seconds since 1970.
    public var expiresAt: Double

    /// Creates a ticket.
    public init(
        kind: Kind, workspace: WorkspaceID, session: SessionID, caller: String, administrator: Bool = false,
        tokenID: String? = nil, expiresAt: Double
    ) {
        self.kind = kind
        self.workspace = workspace
        self.session = session
        self.caller = caller
        self.administrator = administrator
        self.tokenID = tokenID
        self.expiresAt = expiresAt
    }
}
