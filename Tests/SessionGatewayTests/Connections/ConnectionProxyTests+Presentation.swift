import Foundation
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import Testing

/// How the session API shows a shared session (every RPC alike), and link tickets
/// whose API token is revoked.
extension ConnectionProxyTests {
    @Test("WatchSessions shows a RUNNING session on the proxy's URL with its connected users, exactly as GetSession and ListSessions do")
    func watchedSessionsArePresentedLikeFetchedOnes() async throws {
        try await RunningGateway.run(
            access: .init(workspaces: [WorkspaceID(rawValue: "lab")], members: Self.members), configure: Self.configure
        ) { gateway in
            let admin = RunningGateway.metadata(gateway.adminToken)
            let aliceToken = try await gateway.token(for: "alice")
            let victor = RunningGateway.metadata(try await gateway.token(for: "victor"))
            let id = try await Self.runningSession(gateway, metadata: admin)
            try await Self.deletingAfterwards(id, gateway, metadata: admin) {
                let port = try await Self.proxyPort(gateway)
                let prefix = "/sessions/default/\(id)/"
                let stored = try #require(
                    try await gateway.gateway.store.session(id: SessionID(rawValue: id), workspace: .default).connection)
                let backend = try #require(URLComponents(string: stored.url))
                let backendHostPort = "\(try #require(backend.host)):\(try #require(backend.port))"
                #expect(backend.port != port)

                // alice is connected: a request through the proxy.
                let visit = try RawHTTPConnection.request(port: port, path: prefix, headers: [("Authorization", "Bearer \(aliceToken)")])
                #expect(visit.status == 200)

                let fetched = try await gateway.client.unary(
                    SessionServiceMethods.getSession, request: V1GetSessionRequest(sessionID: id), metadata: victor
                ).message
                let listed = try #require(try await gateway.client.unary(
                    SessionServiceMethods.listSessions, request: V1ListSessionsRequest(), metadata: victor
                ).message.sessions.first { $0.id == id })

                // A viewer watching: the snapshot's ADDED, then the MODIFIED of a change.
                let (added, modified) = try await gateway.client.serverStreaming(
                    SessionServiceMethods.watchSessions, request: V1WatchSessionsRequest(workspace: "default"), metadata: victor
                ) { (stream: ClientResponseStream<V1WatchSessionsResponse>) -> (V1Session?, V1Session?) in
                    var added: V1Session?
                    for try await event in stream {
                        switch event.type {
                        case .added where event.session?.id == id: added = event.session
                        case .snapshotEnd:
                            _ = try await gateway.gateway.store.updateSession(id: SessionID(rawValue: id)) { session in
                                session.spec.labels["watched"] = "yes"
                            }
                        case .modified where event.session?.id == id: return (added, event.session)
                        default: break
                        }
                    }
                    return (added, nil)
                }
                let snapshot = try #require(added)
                let change = try #require(modified)
                #expect(change.spec?.labels["watched"] == "yes")

                let proxyURL = "http://127.0.0.1:\(port)\(prefix)"
                for (name, session) in [("GetSession", fetched), ("ListSessions", listed), ("WatchSessions ADDED", snapshot),
                                        ("WatchSessions MODIFIED", change)] {
                    #expect(session.state == .running, "\(name)")
                    #expect(session.connectionURL == proxyURL, "\(name)")
                    #expect(!session.connectionURL.contains(backendHostPort), "\(name) shows the backend's address")
                    #expect(session.connectedUsers.map(\.user) == ["alice"], "\(name)")
                    #expect(session.connectedUsers.first?.openConnections == 0, "\(name)")
                    #expect(!"\(session)".contains(stored.accessToken), "\(name) shows the backend's token")
                }
                // The same presence, to the second, whichever RPC shows it.
                #expect(snapshot.connectedUsers == fetched.connectedUsers)
                #expect(listed.connectedUsers == fetched.connectedUsers)
            }
        }
    }

    @Test("a link ticket stops working the moment the API token it was issued to is revoked; other tokens' links go on")
    func revokedTokenEndsItsLinks() async throws {
        try await RunningGateway.run(
            access: .init(workspaces: [WorkspaceID(rawValue: "lab")], members: Self.members), configure: Self.configure
        ) { gateway in
            let admin = RunningGateway.metadata(gateway.adminToken)
            // Tokens issued before and after alice's, so that finding hers is a lookup among several.
            var others: [String] = []
            for _ in 0..<3 { others.append(try await gateway.token(for: "alice")) }
            let aliceToken = try await gateway.token(for: "alice")
            others.append(try await gateway.token(for: "alice"))
            let id = try await Self.runningSession(gateway, metadata: admin)
            try await Self.deletingAfterwards(id, gateway, metadata: admin) {
                let port = try await Self.proxyPort(gateway)
                let prefix = "/sessions/default/\(id)/"
                func link(_ token: String) async throws -> String {
                    try await gateway.client.unary(
                        SessionServiceMethods.getSessionConnection, request: V1GetSessionConnectionRequest(sessionID: id),
                        metadata: RunningGateway.metadata(token)
                    ).message.accessToken
                }
                let ticket = try await link(aliceToken)
                let otherTicket = try await link(others[1])
                #expect(try RawHTTPConnection.request(port: port, path: prefix, headers: [("X-Session-Token", ticket)]).status == 200)

                let tokenID = String(aliceToken.split(separator: "_")[1])
                #expect(try await gateway.gateway.store.token(id: tokenID)?.caller == "alice")
                try await gateway.gateway.store.revokeToken(id: tokenID)

                let refused = try RawHTTPConnection.request(port: port, path: prefix, headers: [("X-Session-Token", ticket)])
                #expect(refused.status == 401)
                #expect(refused.body.contains("'\(tokenID)' this link was issued to was revoked"))
                #expect(!refused.raw.contains(ticket))
                let fromQuery = try RawHTTPConnection.request(port: port, path: prefix + "?access_token=\(ticket)")
                #expect(fromQuery.status == 401)
                #expect(try RawHTTPConnection.request(port: port, path: prefix, headers: [("X-Session-Token", otherTicket)]).status == 200)
            }
        }
    }
}
