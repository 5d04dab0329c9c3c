import Foundation
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import Testing

/// The connection proxy end to end: a gateway in this process, a Local session serving
/// HTTP (``EchoBackend``), and raw HTTP/1.1 clients.
@Suite("Connections: the authenticating proxy", .serialized)
struct ConnectionProxyTests {
    static let members: [GatewayConfiguration.Access.Member] = [
        .init(workspace: .default, caller: "alice", role: .connect),
        .init(workspace: .default, caller: "victor", role: .view),
        .init(workspace: WorkspaceID(rawValue: "lab"), caller: "olga", role: .admin),
    ]

    static func configure(_ configuration: inout GatewayConfiguration) {
        configuration.presets.append(EchoBackend.preset)
        configuration.connect?.recheckInterval = .seconds(1)
        // The reconciler must not repair the endpoints the 502 and 503 checks break.
        configuration.reconcileInterval = .seconds(3600)
    }

    @Test("members with connect get through with a link or a token; others get 401, 403 or 404; the backend token never shows")
    func accessThroughTheProxy() async throws {
        try await RunningGateway.run(
            access: .init(workspaces: [WorkspaceID(rawValue: "lab")], members: Self.members), configure: Self.configure
        ) { gateway in
            let admin = RunningGateway.metadata(gateway.adminToken)
            let aliceToken = try await gateway.token(for: "alice")
            let alice = RunningGateway.metadata(aliceToken)
            let victorToken = try await gateway.token(for: "victor")
            let olgaToken = try await gateway.token(for: "olga")
            let id = try await Self.runningSession(gateway, metadata: admin)
            try await Self.deletingAfterwards(id, gateway, metadata: admin) {
                let port = try await Self.proxyPort(gateway)
                let backendToken = try #require(
                    try await gateway.gateway.store.session(id: SessionID(rawValue: id), workspace: .default).connection?.accessToken)
                var seen: [String] = []

                // The link: the proxy's URL and a ticket, never the backend's token.
                let link = try await gateway.client.unary(
                    SessionServiceMethods.getSessionConnection, request: V1GetSessionConnectionRequest(sessionID: id),
                    metadata: alice
                ).message
                let prefix = "/sessions/default/\(id)/"
                #expect(link.url == "http://127.0.0.1:\(port)\(prefix)?access_token=\(link.accessToken)")
                #expect(link.accessToken.hasPrefix("sgl-"))
                #expect((link.accessTokenExpireTime?.secondsSince1970 ?? 0) > Date().timeIntervalSince1970 + 500)
                seen.append(link.url + link.accessToken)

                // No credentials: 401 with a challenge.
                let anonymous = try RawHTTPConnection.request(port: port, path: prefix)
                #expect(anonymous.status == 401)
                #expect(anonymous.header("www-authenticate")?.hasPrefix("Bearer") == true)
                seen.append(anonymous.raw)

                // A script fetching the link is answered directly; a browser opening it gets a
                // cookie scoped to the session, and the token leaves the address bar.
                let fetched = try RawHTTPConnection.request(port: port, path: prefix + "?access_token=\(link.accessToken)")
                #expect(fetched.status == 200)
                #expect(fetched.body.contains(#""path": "/?token="#))
                #expect(!fetched.body.contains("access_token"))
                seen.append(fetched.raw)
                let opened = try RawHTTPConnection.request(
                    port: port, path: prefix + "files/?x=1&access_token=\(link.accessToken)", headers: [("Accept", "text/html,*/*")])
                #expect(opened.status == 303)
                #expect(opened.header("location") == prefix + "files/?x=1")
                let setCookie = try #require(opened.header("set-cookie"))
                #expect(setCookie.hasPrefix("sessiongw_link=sgl-"))
                for attribute in ["HttpOnly", "SameSite=Strict", "Path=\(prefix)"] { #expect(setCookie.contains(attribute)) }
                #expect(!setCookie.contains("Secure"))
                let cookie = String(setCookie.prefix { $0 != ";" })
                seen.append(opened.raw)

                // With the cookie: the backend answers, its token added by the proxy and masked in the body.
                let page = try RawHTTPConnection.request(
                    port: port, path: prefix + "files/?x=1", headers: [("Cookie", "theme=dark; " + cookie)])
                #expect(page.status == 200)
                #expect(page.body.contains(#""path": "/files/?x=1&token="#))
                #expect(page.body.contains(#""Cookie": "theme=dark""#))
                #expect(!page.body.contains("sessiongw_link"))
                seen.append(page.raw)

                // A bearer API token works too, and POST bodies stream through.
                let posted = try RawHTTPConnection.request(
                    port: port, method: "POST", path: prefix + "upload", headers: [("Authorization", "Bearer \(aliceToken)")],
                    body: String(repeating: "0123456789", count: 20_000))
                #expect(posted.status == 200)
                #expect(posted.body.count == 200_000)

                // The backend's redirect points through the proxy and loses the token.
                let redirect = try RawHTTPConnection.request(port: port, path: prefix + "redirect", headers: [("Cookie", cookie)])
                #expect(redirect.status == 302)
                #expect(redirect.header("location") == prefix + "target/")
                seen.append(redirect.raw)

                // Outsiders and unknown sessions: 404 alike; view: 403; a ticket for another session: 401.
                let outsider = try RawHTTPConnection.request(port: port, path: prefix, headers: [("Authorization", "Bearer \(olgaToken)")])
                #expect(outsider.status == 404)
                let unknown = try RawHTTPConnection.request(
                    port: port, path: "/sessions/default/s-doesnotexist/", headers: [("Authorization", "Bearer \(aliceToken)")])
                #expect(unknown.status == 404)
                #expect(outsider.body == unknown.body.replacingOccurrences(of: "s-doesnotexist", with: id))
                let viewer = try RawHTTPConnection.request(port: port, path: prefix, headers: [("Authorization", "Bearer \(victorToken)")])
                #expect(viewer.status == 403)
                #expect(viewer.body.contains("needs connect"))
                let elsewhere = try RawHTTPConnection.request(
                    port: port, path: "/sessions/default/s-other/?access_token=\(link.accessToken)")
                #expect(elsewhere.status == 401)
                seen += [outsider.raw, unknown.raw, viewer.raw, elsewhere.raw]

                // Members see who is connected; opening was audited.
                let session = try await gateway.client.unary(
                    SessionServiceMethods.getSession, request: V1GetSessionRequest(sessionID: id), metadata: admin
                ).message
                #expect(session.connectionURL == "http://127.0.0.1:\(port)\(prefix)")
                #expect(session.connectedUsers.map(\.user) == ["alice"])
                let trail = try await gateway.gateway.store.auditEntries(workspace: .default)
                #expect(trail.contains { $0.caller == "alice" && $0.action == "ConnectionProxy/Connect" && $0.target == id })

                for text in seen { #expect(!text.contains(backendToken)) }

                // A backend that does not answer: 502; an endpoint not known yet: 503.
                let sessionID = SessionID(rawValue: id)
                try await gateway.gateway.store.updateSession(id: sessionID) { session in
                    session.connection = Session.Connection(url: "http://127.0.0.1:1/?token=\(backendToken)", accessToken: backendToken)
                }
                let unreachable = try RawHTTPConnection.request(port: port, path: prefix, headers: [("Cookie", cookie)])
                #expect(unreachable.status == 502)
                #expect(unreachable.body.contains("does not answer"))
                try await gateway.gateway.store.updateSession(id: sessionID) { session in session.connection = nil }
                let unknownEndpoint = try RawHTTPConnection.request(port: port, path: prefix, headers: [("Cookie", cookie)])
                #expect(unknownEndpoint.status == 503)
                #expect(unknownEndpoint.header("retry-after") == "2")
                #expect(!unreachable.raw.contains(backendToken))
            }
        }
    }

    @Test("a WebSocket upgrade is tunnelled, and removing the member cuts off requests and the open tunnel")
    func tunnelAndRemoval() async throws {
        try await RunningGateway.run(
            access: .init(workspaces: [WorkspaceID(rawValue: "lab")], members: Self.members), configure: Self.configure
        ) { gateway in
            let admin = RunningGateway.metadata(gateway.adminToken)
            let aliceToken = try await gateway.token(for: "alice")
            let id = try await Self.runningSession(gateway, metadata: admin)
            let port = try await Self.proxyPort(gateway)
            let prefix = "/sessions/default/\(id)/"
            try await Self.deletingAfterwards(id, gateway, metadata: admin) {

                let tunnel = try RawHTTPConnection(port: port)
                tunnel.send(
                    "GET \(prefix)api/kernels/1/channels HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Authorization: Bearer \(aliceToken)\r\n\r\n")
                let head = try #require(tunnel.readHead())
                #expect(head.head.hasPrefix("HTTP/1.1 101"))
                tunnel.send("ping over the tunnel")
                var echoed = head.rest
                while echoed.count < 20 {
                    let chunk = tunnel.receive()
                    if chunk.isEmpty { break }
                    echoed += chunk
                }
                #expect(String(decoding: echoed, as: UTF8.self) == "ping over the tunnel")
                let during = try await gateway.client.unary(
                    SessionServiceMethods.getSession, request: V1GetSessionRequest(sessionID: id), metadata: admin
                ).message
                #expect(during.connectedUsers.first?.openConnections == 1)

                // Removed: the next request is refused, and the tunnel closes within seconds.
                #expect(try await gateway.gateway.store.removeMember("alice", from: .default))
                let refused = try RawHTTPConnection.request(port: port, path: prefix, headers: [("Authorization", "Bearer \(aliceToken)")])
                #expect(refused.status == 404)
                let started = ContinuousClock.now
                #expect(tunnel.closedByPeer())
                #expect(ContinuousClock.now - started < .seconds(5))

                // A session that is not RUNNING: 409.
                _ = try await gateway.client.unary(
                    SessionServiceMethods.pauseSession, request: V1PauseSessionRequest(sessionID: id), metadata: admin)
                let paused = try RawHTTPConnection.request(
                    port: port, path: prefix, headers: [("Authorization", "Bearer \(gateway.adminToken)")])
                #expect(paused.status == 409)
                #expect(paused.body.contains("not RUNNING"))
            }
        }
    }

    // MARK: Helpers

    static func runningSession(_ gateway: RunningGateway, metadata: Metadata) async throws -> String {
        let created = try await gateway.client.unary(
            SessionServiceMethods.createSession,
            request: V1CreateSessionRequest(
                name: "echo-\(UUID().uuidString.prefix(6).lowercased())",
                spec: V1SessionSpec(preset: "echo", image: "python3", computeEnvironment: "local")),
            metadata: metadata
        ).message
        try await gateway.waitFor(.running, created.id, metadata: metadata)
        return created.id
    }

    /// Runs `body`, then deletes the session (its processes must not outlive the test).
    static func deletingAfterwards(
        _ id: String, _ gateway: RunningGateway, metadata: Metadata, _ body: () async throws -> Void
    ) async throws {
        let outcome: Result<Void, any Error>
        do {
            try await body()
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        _ = try await gateway.client.unary(
            SessionServiceMethods.deleteSession, request: V1DeleteSessionRequest(sessionID: id, force: true),
            metadata: metadata)
        try outcome.get()
    }

    static func proxyPort(_ gateway: RunningGateway) async throws -> Int {
        let address = try #require(try await gateway.gateway.connectionProxyAddress())
        return try #require(Int(address.split(separator: ":").last ?? ""))
    }
}
