/// An access key pair with an optional session token. The description never shows the
/// secret or the token.
public struct AWSCredentials: Hashable, Sendable, CustomStringConvertible {
    /// The access key id, such as `AKIDEXAMPLE`.
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String
    /// The session token of temporary credentials.
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Double?

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Double? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// The key id and whether a token is present; no secret values.
    public var description: String {
        "AWSCredentials(accessKeyID: \(accessKeyID), sessionToken: \(sessionToken == nil ? "none" : "present"))"
    }
}
