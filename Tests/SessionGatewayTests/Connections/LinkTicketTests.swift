import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

/// Link tickets: only an untampered, unexpired ticket of the right kind, signed with
/// this gateway's key, for the session and workspace it was issued for, is accepted.
@Suite("Connections: link tickets")
struct LinkTicketTests {
    let lab = WorkspaceID(rawValue: "lab")
    let s1 = SessionID(rawValue: "s-1")
    static let key = Array("0123456789abcdef0123456789abcdef".utf8)
    static let ticket = LinkTicket(
        kind: .link, workspace: WorkspaceID(rawValue: "lab"), session: SessionID(rawValue: "s-1"), caller: "alice", tokenID: "t-abc", expiresAt: 2_000)

    @Test("a valid ticket verifies and names its caller, token and expiry")
    func roundTrip() throws {
        let signer = LinkTicketSigner(key: Self.key)
        let text = signer.sign(Self.ticket)
        #expect(text.hasPrefix("sgl-"))
        #expect(!JWTVerifier.looksLikeJWT(text))
        let verified = try signer.verify(text, kind: .link, workspace: lab, session: s1, now: 1_000)
        #expect(verified == Self.ticket)
    }

    @Test("tampered, expired, other session, other workspace, other kind and wrong key are refused")
    func refusals() throws {
        let signer = LinkTicketSigner(key: Self.key)
        let text = signer.sign(Self.ticket)
        func refusal(_ body: () throws(SessionError) -> LinkTicket) -> SessionError? {
            do throws(SessionError) {
                _ = try body()
                return nil
            } catch {
                return error
            }
        }
        // Another user's name in the payload, the signature kept.
        let parts = text.dropFirst(4).split(separator: ".")
        var payload = try #require(JWTVerifier.base64URL(parts[0]))
        payload = Data(String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "alice", with: "mallo").utf8)
        let forged = "sgl-" + LinkTicketSigner.base64URL(payload) + "." + parts[1]
        let cases: [(String, SessionError?)] = [
            ("tampered", refusal { () throws(SessionError) in try signer.verify(forged, kind: .link, workspace: lab, session: s1, now: 1_000) }),
            ("truncated", refusal { () throws(SessionError) in
                try signer.verify(String(text.dropLast(3)), kind: .link, workspace: lab, session: s1, now: 1_000) }),
            ("expired", refusal { () throws(SessionError) in try signer.verify(text, kind: .link, workspace: lab, session: s1, now: 2_000) }),
            ("other session", refusal { () throws(SessionError) in try signer.verify(text, kind: .link, workspace: lab, session: SessionID(rawValue: "s-2"), now: 1_000) }),
            ("other workspace", refusal { () throws(SessionError) in try signer.verify(text, kind: .link, workspace: .default, session: s1, now: 1_000) }),
            ("cookie kind", refusal { () throws(SessionError) in try signer.verify(text, kind: .cookie, workspace: lab, session: s1, now: 1_000) }),
            ("wrong key", refusal { () throws(SessionError) in
                try LinkTicketSigner(key: Array("another-key-of-at-least-32-bytes!".utf8))
                    .verify(text, kind: .link, workspace: lab, session: s1, now: 1_000) }),
            ("garbage", refusal { () throws(SessionError) in try signer.verify("sgl-x.y", kind: .link, workspace: lab, session: s1, now: 1_000) }),
        ]
        for (name, error) in cases {
            #expect(error?.code == .unauthenticated, "\(name)")
            #expect(error?.message.contains(text) == false, "\(name) echoes the ticket")
        }
        #expect(cases[2].1?.message.contains("expired") == true)
        #expect(cases[3].1?.message.contains("another session") == true)
    }

    @Test("the key is made once with mode 0600, reused, and narrowed back to 0600")
    func keyFile() throws {
        let directory = "/tmp/sessiongw-ticket-\(UUID().uuidString.prefix(8).lowercased())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try LinkTicketSigner.loadOrCreate(inDirectory: directory)
        let path = directory + "/link-ticket.key"
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        let text = first.sign(Self.ticket)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let second = try LinkTicketSigner.loadOrCreate(inDirectory: directory)
        #expect(try second.verify(text, kind: .link, workspace: lab, session: s1, now: 1_000) == Self.ticket)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        try Data("short".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ConfigurationError.self) { try LinkTicketSigner.loadOrCreate(inDirectory: directory) }
    }

    @Test("the body mask replaces the secret across chunk boundaries and keeps the length")
    func tokenMask() {
        var mask = TokenMask(secret: "SECRET")
        var output: [UInt8] = []
        for chunk in ["abc SEC", "RET def SE", "CRETSECRET", " SECRE"] { output += mask.process(Array(chunk.utf8)) }
        output += mask.finish()
        #expect(String(decoding: output, as: UTF8.self) == "abc ****** def ************ SECRE")
    }
}
