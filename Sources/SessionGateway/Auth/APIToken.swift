/// An opaque API token as the store keeps it: everything but its value, of which only
/// the SHA-256 hash is stored.
public struct APIToken: Hashable, Sendable {
    /// `t-` and 16 random characters; also the token value's first part, so that
    /// `sessiongw token revoke` can name it.
    public var id: String
    /// Who calls with it.
    public var caller: String
    /// What it is for, for people.
    public var description: String
    /// When it was made, in seconds since 1970.
    public var createdAt: Double
    /// When it stops working, nil for never.
    public var expiresAt: Double?
    /// When it was revoked, nil while it is not.
    public var revokedAt: Double?

    /// Creates a token record.
    public init(
        id: String, caller: String, description: String, createdAt: Double, expiresAt: Double? = nil,
        revokedAt: Double? = nil
    ) {
        self.id = id
        self.caller = caller
        self.description = description
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}
