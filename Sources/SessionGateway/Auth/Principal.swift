/// Who is calling, as the authentication interceptor established it.
public struct Principal: Hashable, Sendable {
    /// How the caller proved who it is.
    public enum Credential: Hashable, Sendable {
        /// The gateway's administrator token.
        case administratorToken
        /// An opaque API token, by id.
        case apiToken(id: String)
        /// A signed JWT, by its `kid` if it had one.
        case jwt(keyID: String?)
        /// A client certificate verified by mutual TLS; the caller is its common name.
        case clientCertificate
    }

    /// The caller's name: the token's caller, the JWT's `sub`, the certificate's common
    /// name, or `admin`.
    public var caller: String
    /// How it was proved.
    public var credential: Credential
    /// When the credential stops being valid (a JWT's `exp`, an API token's expiry), in
    /// seconds since the Unix epoch; nil when it does not expire by itself.
    public var expiresAt: Double?

    /// Whether the caller holds the administrator token, which has every role in every
    /// workspace.
    public var isAdministrator: Bool { credential == .administratorToken }

    /// Creates a principal.
    public init(caller: String, credential: Credential, expiresAt: Double? = nil) {
        self.caller = caller
        self.credential = credential
        self.expiresAt = expiresAt
    }

    /// The administrator.
    public static let administrator = Principal(caller: "admin", credential: .administratorToken)
}
