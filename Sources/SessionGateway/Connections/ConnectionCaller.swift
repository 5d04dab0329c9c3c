/// Who a proxied request comes from, as ``ConnectionAuthorizer`` established it.
struct ConnectionCaller: Hashable, Sendable {
    /// The caller's name.
    var caller: String
    /// Whether it holds the administrator token (every role in every workspace).
    var administrator: Bool
    /// The API token it proved itself with, if any; checked again on every request.
    var tokenID: String?
    /// When the credential it proved itself with expires (a link ticket, the cookie, a
    /// JWT, an API token), if it does: an open tunnel ends then.
    var expiresAt: Double?

    /// The caller a verified link ticket or cookie names.
    init(_ ticket: LinkTicket) {
        self.init(caller: ticket.caller, administrator: ticket.administrator, tokenID: ticket.tokenID, expiresAt: ticket.expiresAt)
    }

    /// A caller.
    init(caller: String, administrator: Bool, tokenID: String?, expiresAt: Double?) {
        self.caller = caller
        self.administrator = administrator
        self.tokenID = tokenID
        self.expiresAt = expiresAt
    }
}
