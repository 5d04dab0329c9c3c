@preconcurrency import Crypto
@preconcurrency import _CryptoExtras
import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

/// Bearer tokens and JWTs: what is accepted, and that every bad one is refused with
/// UNAUTHENTICATED and a message that does not echo it.
@Suite("Authentication")
struct AuthenticatorTests {
    static let now = 1_800_000_000.0
    static let secret = Array("a-test-secret-of-at-least-thirty-two-bytes".utf8)
    nonisolated(unsafe) static let ecKey = P256.Signing.PrivateKey()
    static let rsaKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let admin = AdminToken(path: "/nonexistent/admin-token", value: String(repeating: "ad", count: 32))

    static func verifier() throws -> JWTVerifier {
        try JWTVerifier(
            keys: [
                .init(id: "hs", material: .hs256(secret: secret)),
                .init(id: "es", material: .es256(publicKeyPEM: ecKey.publicKey.pemRepresentation)),
                .init(id: "rs", material: .rs256(publicKeyPEM: rsaKey.publicKey.pemRepresentation)),
            ],
            issuer: "https://id.example.com", audience: "sessiongw", clockSkew: .seconds(30))
    }

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A JWT signed as `alg` says, with `claims` over good defaults.
    static func jwt(alg: String = "HS256", kid: String? = nil, claims: [String: Any] = [:], signWith: String? = nil) throws -> String {
        var header: [String: Any] = ["alg": alg, "typ": "JWT"]
        if let kid { header["kid"] = kid }
        var payload: [String: Any] = [
            "sub": "alice", "iss": "https://id.example.com", "aud": "sessiongw", "exp": now + 600, "nbf": now - 60,
        ]
        for (key, value) in claims { payload[key] = value is NSNull ? nil : value }
        let signingInput = base64URL(try JSONSerialization.data(withJSONObject: header, options: .sortedKeys)) + "."
            + base64URL(try JSONSerialization.data(withJSONObject: payload, options: .sortedKeys))
        let data = Data(signingInput.utf8)
        let signature: Data
        switch signWith ?? alg {
        case "HS256": signature = Data(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: secret)))
        case "ES256": signature = try ecKey.signature(for: data).rawRepresentation
        case "RS256": signature = try rsaKey.signature(for: data, padding: .insecurePKCS1v1_5).rawRepresentation
        case "none": signature = Data()
        default: signature = Data("junk".utf8)
        }
        return signingInput + "." + base64URL(signature)
    }

    static func authenticate(_ credential: String?, store: SessionStore, jwt: JWTVerifier? = nil) async throws -> Principal {
        let authenticator = Authenticator(adminToken: admin, store: store, jwt: try jwt ?? verifier(), now: { now })
        return try await authenticator.authenticate(authorization: credential.map { "Bearer \($0)" })
    }

    @Test("JWTs signed with each configured algorithm name their subject as the caller", arguments: ["HS256", "ES256", "RS256"])
    func validJWTs(alg: String) async throws {
        try await StoreFixtures.withMemoryStore { store in
            let principal = try await Self.authenticate(try Self.jwt(alg: alg), store: store)
            // Valid until `exp` plus the allowed clock skew: open streams end then.
            #expect(principal == Principal(caller: "alice", credential: .jwt(keyID: nil), expiresAt: Self.now + 600 + 30))
        }
    }

    @Test("an API token names its caller until it expires or is revoked")
    func apiTokens() async throws {
        try await StoreFixtures.withMemoryStore { store in
            let (token, value) = APIToken.make(caller: "bob", description: "ci", expiresAt: Self.now + 60, now: Self.now - 60)
            try await store.addToken(token, sha256: APIToken.sha256(of: value))
            #expect(try await Self.authenticate(value, store: store)
                == Principal(caller: "bob", credential: .apiToken(id: token.id), expiresAt: Self.now + 60))
            #expect(try await store.tokens().map(\.id) == [token.id])
            // Nothing but the hash is kept.
            #expect(try await store.token(sha256: APIToken.sha256(of: value))?.caller == "bob")
            try await store.revokeToken(id: token.id, now: Self.now)
            let error = await expectSessionError(.unauthenticated) { _ = try await Self.authenticate(value, store: store) }
            #expect(error?.message.contains("revoked") == true)
        }
    }

    @Test("every bad credential is UNAUTHENTICATED, saying why, without echoing it", arguments: [
        ("expired", try! jwt(claims: ["exp": now - 31]), "expired"),
        ("not yet valid", try! jwt(claims: ["nbf": now + 31]), "not valid before"),
        ("no expiry", try! jwt(claims: ["exp": NSNull()]), "no 'exp'"),
        ("wrong audience", try! jwt(claims: ["aud": "someone-else"]), "audience"),
        ("wrong issuer", try! jwt(claims: ["iss": "https://evil.example.com"]), "issued by"),
        ("wrong signature", try! jwt(alg: "HS256", signWith: "junk"), "signature"),
        ("signed by another key", try! jwt(alg: "ES256", signWith: "RS256"), "signature"),
        ("alg none", try! jwt(alg: "none"), "'none' is not accepted"),
        ("unknown kid", try! jwt(kid: "other"), "no configured key"),
        ("malformed JWT", "abc.def.ghi", "malformed"),
        ("unknown opaque token", "sgw_t-aaaaaaaaaaaaaaaa_0123456789abcdef", "not valid"),
    ])
    func refusals(name: String, credential: String, says: String) async throws {
        try await StoreFixtures.withMemoryStore { store in
            let error = await expectSessionError(.unauthenticated) { _ = try await Self.authenticate(credential, store: store) }
            #expect(error?.message.contains(says) == true, "\(name): \(error?.message ?? "")")
            for part in credential.split(separator: ".") where part.count > 8 {
                #expect(error?.message.contains(part) == false, "\(name) echoes the credential")
            }
        }
    }

    @Test("an expired API token, a missing header and a JWT without configured keys are refused")
    func otherRefusals() async throws {
        try await StoreFixtures.withMemoryStore { store in
            let (token, value) = APIToken.make(caller: "bob", description: "old", expiresAt: Self.now - 1, now: Self.now - 100)
            try await store.addToken(token, sha256: APIToken.sha256(of: value))
            let expired = await expectSessionError(.unauthenticated) { _ = try await Self.authenticate(value, store: store) }
            #expect(expired?.message.contains("expired") == true)
            #expect(expired?.message.contains(value) == false)
            await expectSessionError(.unauthenticated) { _ = try await Self.authenticate(nil, store: store) }
            let withoutKeys = Authenticator(adminToken: Self.admin, store: store, jwt: nil, now: { Self.now })
            let error = await expectSessionError(.unauthenticated) {
                _ = try await withoutKeys.authenticate(authorization: "Bearer \(try Self.jwt())")
            }
            #expect(error?.message.contains("no JWT keys") == true)
        }
    }

    @Test("verifier settings that cannot work are refused")
    func badSettings() {
        #expect(throws: SessionError.self) { _ = try JWTVerifier(keys: [], issuer: nil, audience: nil) }
        #expect(throws: SessionError.self) {
            _ = try JWTVerifier(keys: [.init(material: .hs256(secret: Array("short".utf8)))], issuer: nil, audience: nil)
        }
        #expect(throws: SessionError.self) {
            _ = try JWTVerifier(keys: [.init(material: .es256(publicKeyPEM: "not a key"))], issuer: nil, audience: nil)
        }
        #expect(throws: SessionError.self) {
            _ = try JWTVerifier(keys: [.init(material: .hs256(secret: Self.secret))], issuer: nil, audience: nil, clockSkew: .seconds(301))
        }
    }
}
