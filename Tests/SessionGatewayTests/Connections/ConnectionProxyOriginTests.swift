import Foundation
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import Testing

/// What keeps one session's pages from another's on the connection proxy: per-session
/// origins, cookies confined to their session, no redirects off the session, and a
/// bound on what a client can make the proxy buffer.
@Suite("Connections: sessions kept apart on the proxy", .serialized)
struct ConnectionProxyOriginTests {
    static let sessionHost = "{session}.sessions.localhost"

    /// Runs `body` with a gateway (configured by ``ConnectionProxyTests/configure(_:)``,
    /// then `configure`), a RUNNING echo session and the proxy's port; the session is
    /// deleted afterwards.
    static func withEchoSession(
        configure: @escaping (inout GatewayConfiguration) -> Void = { _ in },
        _ body: (RunningGateway, String, Int) async throws -> Void
    ) async throws {
        try await RunningGateway.run(configure: { configuration in
            ConnectionProxyTests.configure(&configuration)
            configure(&configuration)
        }) { gateway in
            let admin = RunningGateway.metadata(gateway.adminToken)
            let id = try await ConnectionProxyTests.runningSession(gateway, metadata: admin)
            try await ConnectionProxyTests.deletingAfterwards(id, gateway, metadata: admin) {
                try await body(gateway, id, try await ConnectionProxyTests.proxyPort(gateway))
            }
        }
    }

    /// The administrator's link to the session, from `GetSessionConnection`.
    static func adminLink(_ gateway: RunningGateway, _ id: String) async throws -> V1Connection {
        try await gateway.client.unary(
            SessionServiceMethods.getSessionConnection, request: V1GetSessionConnectionRequest(sessionID: id),
            metadata: RunningGateway.metadata(gateway.adminToken)
        ).message
    }

    @Test("with per-session origins, a session is served only at its own host; path addresses and other hosts are refused")
    func perSessionOrigins() async throws {
        try await Self.withEchoSession(configure: { $0.connect?.sessionHost = Self.sessionHost }) { gateway, id, port in
            let host = "\(id).sessions.localhost:\(port)"
            let link = try await Self.adminLink(gateway, id)
            #expect(link.url == "http://\(host)/?access_token=\(link.accessToken)")

            // Opening the link sets a cookie for this host only, for all of its paths.
            let opened = try RawHTTPConnection.request(
                port: port, path: "/lab/?access_token=\(link.accessToken)", host: host, headers: [("Accept", "text/html")])
            #expect(opened.status == 303)
            #expect(opened.header("location") == "/lab/")
            let setCookie = try #require(opened.header("set-cookie"))
            #expect(setCookie.contains("Path=/;") && !setCookie.lowercased().contains("domain="), "\(setCookie)")
            let cookie = String(setCookie.prefix { $0 != ";" })

            // The whole path is the session's; the backend sees no prefix.
            let page = try RawHTTPConnection.request(port: port, path: "/lab/x", host: host, headers: [("Cookie", cookie)])
            #expect(page.status == 200)
            #expect(page.body.contains(#""path": "/lab/x?token="#), "\(page.body)")
            #expect(!page.body.contains("X-Forwarded-Prefix"))

            // The cookie is worth nothing at another session's host, and path addresses are gone.
            let elsewhere = try RawHTTPConnection.request(
                port: port, path: "/", host: "s-someoneelse.sessions.localhost:\(port)", headers: [("Cookie", cookie)])
            #expect([401, 404].contains(elsewhere.status), "\(elsewhere.raw)")
            let byPath = try RawHTTPConnection.request(port: port, path: "/sessions/default/\(id)/", headers: [("Cookie", cookie)])
            #expect(byPath.status == 404)
            #expect(byPath.body.contains("its own host"), "\(byPath.body)")
            // An unknown session's host is refused like a hidden one: 401 without credentials.
            let anonymous = try RawHTTPConnection.request(port: port, path: "/", host: "s-nobody.sessions.localhost:\(port)")
            #expect(anonymous.status == 401)
        }
    }

    @Test("backend cookies are confined to their session, the proxy's cookie cannot be forged, redirects off the session are refused")
    func cookiesAndRedirects() async throws {
        try await Self.withEchoSession { gateway, id, port in
            let prefix = "/sessions/default/\(id)/"
            let bearer = [("Authorization", "Bearer \(gateway.adminToken)")]
            let cookies = try RawHTTPConnection.request(port: port, path: prefix + "set-cookie", headers: bearer)
            #expect(cookies.status == 200)
            let set = cookies.headers.filter { $0.0 == "set-cookie" }.map(\.1)
            #expect(set == ["ide=1; Path=\(prefix)lab; HttpOnly"], "\(set)")

            let offsite = try RawHTTPConnection.request(port: port, path: prefix + "offsite", headers: bearer)
            #expect(offsite.status == 502)
            #expect(offsite.header("location") == nil)
            #expect(!offsite.raw.contains("attacker.example"))
        }
    }

    @Test("while a response is pending, pipelined requests are not read: the proxy buffers a bounded amount")
    func pipeliningIsBounded() async throws {
        try await Self.withEchoSession { gateway, id, port in
            let connection = try RawHTTPConnection(port: port)
            let request = "GET /sessions/default/\(id)/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(gateway.adminToken)\r\n\r\n"
            connection.send(request)
            // 64 MiB of pipelined requests while the first waits 4 s for its answer: the
            // kernel's socket buffers take some megabytes; a proxy that kept reading would take all.
            let copy = Array(String(repeating: request, count: max(1, 65536 / request.utf8.count)).utf8)
            let taken = connection.sendWithoutBlocking(copy, upTo: 64 << 20, patience: .seconds(2))
            #expect(taken < 32 << 20, "the proxy took \(taken >> 20) MiB of pipelined requests")
        }
    }

    @Test("a WebSocket tunnel opened with the browser's cookie ends once the cookie expires")
    func tunnelEndsWithItsCredential() async throws {
        try await Self.withEchoSession(configure: { $0.connect?.cookieLifetime = .seconds(4) }) { gateway, id, port in
            let prefix = "/sessions/default/\(id)/"
            let link = try await Self.adminLink(gateway, id)
            let opened = try RawHTTPConnection.request(
                port: port, path: prefix + "?access_token=\(link.accessToken)", headers: [("Accept", "text/html")])
            let cookie = String(try #require(opened.header("set-cookie")).prefix { $0 != ";" })

            let tunnel = try RawHTTPConnection(port: port)
            tunnel.send(
                "GET \(prefix)api/kernels/1/channels HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nCookie: \(cookie)\r\n\r\n")
            let head = try #require(tunnel.readHead())
            #expect(head.head.hasPrefix("HTTP/1.1 101"))
            let started = ContinuousClock.now
            #expect(tunnel.closedByPeer())
            // The cookie lives 4 s and tunnels are checked every second (10 s is the receive timeout).
            #expect(ContinuousClock.now - started < .seconds(9))
        }
    }
}
