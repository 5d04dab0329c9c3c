internal import Foundation
public import SessionSDK

/// Turns a call's `authorization` metadata into a ``Principal``: the administrator
/// token, an opaque API token (looked up by its SHA-256 hash; expired and revoked ones
/// refused), or a signed JWT when a ``JWTVerifier`` is configured; without the
/// metadata, a client certificate that mutual TLS verified names the caller.
///
/// Every refusal is `UNAUTHENTICATED` with a message that says what to fix and never
/// echoes the credential.
public struct Authenticator: Sendable {
    let adminToken: AdminToken
    let store: SessionStore
    let jwt: JWTVerifier?
    let now: @Sendable () -> Double

    /// Creates an authenticator.
    public init(
        adminToken: AdminToken, store: SessionStore, jwt: JWTVerifier?, now: (@Sendable () -> Double)? = nil
    ) {
        self.adminToken = adminToken
        self.store = store
        self.jwt = jwt
        self.now = now ?? { Date().timeIntervalSince1970 }
    }

    /// The caller that `authorization` (the metadata value, or nil when absent) proves;
    /// without it, the common name of a client certificate mutual TLS verified.
    ///
    /// - Throws: `UNAUTHENTICATED` saying what is wrong; `UNAVAILABLE` when the store
    ///   cannot be read.
    public func authenticate(authorization: String?, clientCertificate: String? = nil) async throws(SessionError) -> Principal {
        if authorization == nil, let clientCertificate, !clientCertificate.isEmpty, clientCertificate.count <= 256 {
            return Principal(caller: clientCertificate, credential: .clientCertificate)
        }
        guard let authorization else {
            throw SessionError(
                .unauthenticated,
                "this call needs 'authorization: Bearer TOKEN' metadata (an API token, a JWT, or the administrator token in \(adminToken.path))")
        }
        let prefix = "bearer "
        guard authorization.count > prefix.count, authorization.prefix(prefix.count).lowercased() == prefix else {
            throw SessionError(.unauthenticated, "the authorization metadata must be 'Bearer TOKEN'")
        }
        let credential = authorization.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        guard !credential.isEmpty, credential.count <= 8192 else {
            throw SessionError(.unauthenticated, "the bearer token is empty or longer than 8 KiB")
        }
        if adminToken.matches(credential) { return .administrator }
        if JWTVerifier.looksLikeJWT(credential) {
            guard let jwt else {
                throw SessionError(.unauthenticated, "the bearer token is a JWT, and this gateway has no JWT keys configured")
            }
            let claims = try jwt.verify(credential, now: now())
            return Principal(caller: claims.subject, credential: .jwt(keyID: claims.keyID), expiresAt: claims.expiresAt)
        }
        guard let token = try await store.token(sha256: APIToken.sha256(of: credential)) else {
            throw SessionError(.unauthenticated, "the bearer token is not valid")
        }
        try check(token)
        return Principal(caller: token.caller, credential: .apiToken(id: token.id), expiresAt: token.expiresAt)
    }

    /// Checks again that an authenticated principal's credential is still valid, for
    /// calls that stay open: not expired, and for an API token, not revoked since.
    ///
    /// - Throws: `UNAUTHENTICATED` saying what changed.
    public func recheck(_ principal: Principal) async throws(SessionError) {
        if let expiry = principal.expiresAt, now() >= expiry {
            throw SessionError(.unauthenticated, "the credential of this call expired at \(Self.timestamp(expiry))")
        }
        guard case .apiToken(let id) = principal.credential else { return }
        guard let token = try await store.token(id: id) else {
            throw SessionError(.unauthenticated, "the bearer token '\(id)' no longer exists")
        }
        try check(token)
    }

    private func check(_ token: APIToken) throws(SessionError) {
        if token.revokedAt != nil {
            throw SessionError(.unauthenticated, "the bearer token '\(token.id)' was revoked")
        }
        if let expiry = token.expiresAt, now() >= expiry {
            throw SessionError(.unauthenticated, "the bearer token '\(token.id)' expired at \(Self.timestamp(expiry))")
        }
    }

    private static func timestamp(_ seconds: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds))
    }
}
