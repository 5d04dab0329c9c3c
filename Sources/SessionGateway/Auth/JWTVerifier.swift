@preconcurrency internal import Crypto
internal import Foundation
@preconcurrency internal import _CryptoExtras
public import SessionSDK

/// Checks signed JWTs (RFC 7519) presented as bearer tokens: the signature with one of
/// the configured keys (HS256, RS256 or ES256; `alg: none` and every other algorithm
/// are refused), then `exp` (required), `nbf`, `iss` and `aud`, with a bounded clock
/// skew. The caller is the `sub` claim.
///
/// Refusals are `UNAUTHENTICATED` with a message that says what is wrong and never
/// echoes the token.
public struct JWTVerifier: Sendable {
    /// A key that may sign tokens.
    public struct Key: Sendable {
        /// What a key is.
        public enum Material: Sendable {
            /// An HMAC-SHA256 secret.
            case hs256(secret: [UInt8])
            /// An RSA public key (PKCS #1 v1.5 with SHA-256).
            case rs256(publicKeyPEM: String)
            /// A P-256 public key (ECDSA with SHA-256).
            case es256(publicKeyPEM: String)
        }

        /// The `kid` it is chosen by, or nil to try it for any token of its algorithm.
        public var id: String?
        /// The key material.
        public var material: Material

        /// Creates a key.
        public init(id: String? = nil, material: Material) {
            self.id = id
            self.material = material
        }

        var algorithm: String {
            switch material {
            case .hs256: "HS256"
            case .rs256: "RS256"
            case .es256: "ES256"
            }
        }
    }

    /// What a valid token says.
    public struct Claims: Hashable, Sendable {
        /// `sub`: the caller.
        public var subject: String
        /// `kid` of the header, if any.
        public var keyID: String?
        /// `exp`: when it stops being valid, in seconds since the Unix epoch (clock skew included).
        public var expiresAt: Double
    }

    /// The most clock skew a configuration may allow.
    public static let maximumClockSkew: Duration = .seconds(300)

    /// A key parsed once, ready to verify.
    private enum Verifier: Sendable {
        case hmac(SymmetricKey)
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
    }

    private let verifiers: [(id: String?, algorithm: String, verifier: Verifier)]
    let issuer: String?
    let audience: String?
    let clockSkew: Double

    /// Creates a verifier.
    ///
    /// - Throws: `INVALID_ARGUMENT` when there is no key, an HS256 secret is shorter
    ///   than 32 bytes, a public key does not parse, or `clockSkew` is negative or over
    ///   ``maximumClockSkew``.
    public init(keys: [Key], issuer: String?, audience: String?, clockSkew: Duration = .seconds(60)) throws(SessionError) {
        guard !keys.isEmpty else { throw SessionError(.invalidArgument, "JWT verification needs at least one key") }
        guard clockSkew >= .zero, clockSkew <= Self.maximumClockSkew else {
            throw SessionError(.invalidArgument, "the JWT clock skew must be between 0 and 300 seconds")
        }
        verifiers = try keys.map { key throws(SessionError) in
            let verifier: Verifier
            do {
                switch key.material {
                case .hs256(let secret):
                    guard secret.count >= 32 else {
                        throw SessionError(.invalidArgument, "an HS256 secret must have at least 32 bytes")
                    }
                    verifier = .hmac(SymmetricKey(data: secret))
                case .rs256(let pem): verifier = .rsa(try _RSA.Signing.PublicKey(pemRepresentation: pem))
                case .es256(let pem): verifier = .p256(try P256.Signing.PublicKey(pemRepresentation: pem))
                }
            } catch let error as SessionError {
                throw error
            } catch {
                throw SessionError(
                    .invalidArgument, "the \(key.algorithm) key '\(key.id ?? "")' is not a usable public key", cause: error)
            }
            return (key.id, key.algorithm, verifier)
        }
        self.issuer = issuer
        self.audience = audience
        self.clockSkew = Double(clockSkew.components.seconds)
    }

    /// Whether `token` has the shape of a JWT (three base64url parts).
    public static func looksLikeJWT(_ token: String) -> Bool {
        token.split(separator: ".", omittingEmptySubsequences: false).count == 3
    }

    /// The claims of a valid token.
    ///
    /// - Throws: `UNAUTHENTICATED` saying what is wrong.
    public func verify(_ token: String, now: Double) throws(SessionError) -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Self.base64URL(parts[0]),
              let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any]
        else {
            throw Self.refusal("the JWT is malformed")
        }
        guard let algorithm = header["alg"] as? String else { throw Self.refusal("the JWT header has no 'alg'") }
        guard ["HS256", "RS256", "ES256"].contains(algorithm) else {
            throw Self.refusal("the JWT algorithm '\(algorithm.prefix(20))' is not accepted; use HS256, RS256 or ES256")
        }
        guard let payloadData = Self.base64URL(parts[1]), let signature = Self.base64URL(parts[2]),
              let payload = try? JSONSerialization.jsonObject(with: payloadData) as? [String: Any]
        else {
            throw Self.refusal("the JWT is malformed")
        }
        let keyID = header["kid"] as? String
        let candidates = verifiers.filter { $0.algorithm == algorithm && (keyID == nil || $0.id == nil || $0.id == keyID) }
        guard !candidates.isEmpty else {
            throw Self.refusal("no configured key verifies \(algorithm) tokens" + (keyID.map { " with kid '\($0.prefix(64))'" } ?? ""))
        }
        let signed = Data("\(parts[0]).\(parts[1])".utf8)
        guard candidates.contains(where: { Self.verifies($0.verifier, signature: signature, of: signed) }) else {
            throw Self.refusal("the JWT signature is not valid")
        }
        return try check(payload, keyID: keyID, now: now)
    }

    private func check(_ payload: [String: Any], keyID: String?, now: Double) throws(SessionError) -> Claims {
        guard let expiry = (payload["exp"] as? NSNumber)?.doubleValue else {
            throw Self.refusal("the JWT has no 'exp' claim; tokens must expire")
        }
        guard now <= expiry + clockSkew else { throw Self.refusal("the JWT expired at \(Self.timestamp(expiry))") }
        if let notBefore = (payload["nbf"] as? NSNumber)?.doubleValue, now + clockSkew < notBefore {
            throw Self.refusal("the JWT is not valid before \(Self.timestamp(notBefore))")
        }
        if let issuer, payload["iss"] as? String != issuer {
            throw Self.refusal("the JWT was not issued by '\(issuer)'")
        }
        if let audience {
            let audiences = (payload["aud"] as? [String]) ?? (payload["aud"] as? String).map { [$0] } ?? []
            guard audiences.contains(audience) else { throw Self.refusal("the JWT is not meant for audience '\(audience)'") }
        }
        guard let subject = payload["sub"] as? String, !subject.isEmpty, subject.count <= 256 else {
            throw Self.refusal("the JWT has no usable 'sub' claim naming the caller")
        }
        return Claims(subject: subject, keyID: keyID, expiresAt: expiry + clockSkew)
    }

    private static func verifies(_ verifier: Verifier, signature: Data, of data: Data) -> Bool {
        switch verifier {
        case .hmac(let key):
            return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: data, using: key)
        case .rsa(let key):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: data, padding: .insecurePKCS1v1_5)
        case .p256(let key):
            guard let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(ecdsa, for: data)
        }
    }

    static func base64URL(_ text: Substring) -> Data? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 < 128 }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    private static func timestamp(_ seconds: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds))
    }

    private static func refusal(_ message: String) -> SessionError {
        SessionError(.unauthenticated, message)
    }
}
