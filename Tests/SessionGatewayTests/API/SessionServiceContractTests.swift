import Foundation
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import Testing

/// What the proto promises to every client, checked through a real gateway and client:
/// deleting a deleted session succeeds, the activity log says who asked for what, and
/// every RPC that returns a Session fills the same fields.
@Suite("Session API contract", .timeLimit(.minutes(3)))
struct SessionServiceContractTests {
    static let members: [GatewayConfiguration.Access.Member] = [
        .init(workspace: .default, caller: "carol", role: .launch),
        .init(workspace: .default, caller: "mo", role: .maintain),
    ]

    static func spec(dataLinks: [String] = []) -> V1SessionSpec {
        V1SessionSpec(preset: "notebook", image: "python3", computeEnvironment: "local", dataLinkIDs: dataLinks)
    }

    @Test("deleting a deleted session succeeds without a session; an id never seen is NOT_FOUND")
    func deleteIsIdempotent() async throws {
        try await RunningGateway.run(access: .init(members: Self.members)) { gateway in
            let carol = RunningGateway.metadata(try await gateway.token(for: "carol"))
            let client = gateway.client
            func delete(_ id: String, workspace: String = "") async throws -> V1DeleteSessionResponse {
                try await client.unary(
                    SessionServiceMethods.deleteSession,
                    request: V1DeleteSessionRequest(workspace: workspace, sessionID: id, force: true),
                    metadata: carol
                ).message
            }
            let created = try await client.unary(
                SessionServiceMethods.createSession, request: V1CreateSessionRequest(name: "gone", spec: Self.spec()),
                metadata: carol
            ).message
            try await gateway.waitFor(.running, created.id, metadata: carol)

            #expect(try await delete(created.id).session == nil)
            // Again, right after, and once more: the same answer.
            #expect(try await delete(created.id).session == nil)
            #expect(try await delete(created.id).session == nil)

            let never = await RunningGateway.refusal { _ = try await delete("s-neverexisted0000") }
            #expect(never?.code == .notFound)
            #expect(never?.message.contains("s-neverexisted0000") == true)
            // Its deletion is remembered in its own workspace only.
            let elsewhere = await RunningGateway.refusal {
                _ = try await client.unary(
                    SessionServiceMethods.deleteSession,
                    request: V1DeleteSessionRequest(workspace: "other", sessionID: created.id, force: true),
                    metadata: RunningGateway.metadata(gateway.adminToken))
            }
            #expect(elsewhere?.code == .notFound)
        }
    }

    @Test("every ACTION entry names its actor; pause, resume and update leave one each")
    func actionsCarryTheirActor() async throws {
        try await RunningGateway.run(access: .init(members: Self.members)) { gateway in
            let carol = RunningGateway.metadata(try await gateway.token(for: "carol"))
            let mo = RunningGateway.metadata(try await gateway.token(for: "mo"))
            let client = gateway.client
            let id = try await client.unary(
                SessionServiceMethods.createSession, request: V1CreateSessionRequest(name: "logged", spec: Self.spec()),
                metadata: carol
            ).message.id
            try await gateway.waitFor(.running, id, metadata: carol)
            _ = try await client.unary(
                SessionServiceMethods.pauseSession, request: V1PauseSessionRequest(sessionID: id), metadata: mo)
            try await gateway.waitFor(.paused, id, metadata: carol)
            // Pausing a paused session does nothing, so it records nothing either.
            _ = try await client.unary(
                SessionServiceMethods.pauseSession, request: V1PauseSessionRequest(sessionID: id), metadata: carol)
            _ = try await client.unary(
                SessionServiceMethods.updateSession,
                request: V1UpdateSessionRequest(
                    sessionID: id, spec: V1SessionSpec(labels: ["team": "a"]), updateMask: ProtobufFieldMask(paths: ["labels"])),
                metadata: carol)
            _ = try await client.unary(
                SessionServiceMethods.resumeSession, request: V1ResumeSessionRequest(sessionID: id), metadata: carol)

            let events = try await client.unary(
                SessionServiceMethods.listSessionEvents, request: V1ListSessionEventsRequest(sessionID: id, pageSize: 100),
                metadata: carol
            ).message.events
            let actions = events.filter { $0.type == .action }.map { "\($0.actor): \($0.message)" }
            #expect(actions == [
                "carol: created by carol",
                "mo: pause requested by mo",
                "carol: changed labels",
                "carol: resume requested by carol",
            ])
            // The request comes before the state change it causes; the gateway's own entries have no actor.
            let pauseAction = try #require(events.firstIndex { $0.type == .action && $0.actor == "mo" })
            let pausing = try #require(events.firstIndex { $0.type == .stateChanged && $0.toState == .pausing })
            #expect(pauseAction < pausing)
            #expect(events.filter { $0.type != .action }.allSatisfy { $0.actor.isEmpty })
        }
    }

    @Test("Get, List, Watch and the mutations return the same data-links")
    func everySessionMessageCarriesItsDataLinks() async throws {
        try await RunningGateway.run { gateway in
            let admin = RunningGateway.metadata(gateway.adminToken)
            let client = gateway.client
            var linkIDs: [String] = []
            for (name, location) in [("scratch", "s3://scratch/team"), ("reference", "s3://reference/genomes")] {
                linkIDs.append(try await client.unary(
                    DataLinkServiceMethods.createDataLink, request: V1CreateDataLinkRequest(name: name, location: location),
                    metadata: admin
                ).message.id)
            }
            let created = try await client.unary(
                SessionServiceMethods.createSession,
                request: V1CreateSessionRequest(name: "linked", spec: Self.spec(dataLinks: linkIDs)),
                metadata: admin
            ).message
            let expected = created.dataLinks
            #expect(expected.map(\.mountPath) == ["/workspace/data/scratch", "/workspace/data/reference"])
            #expect(expected.map(\.readOnly) == [false, true])

            try await gateway.waitFor(.running, created.id, metadata: admin)
            let got = try await client.unary(
                SessionServiceMethods.getSession, request: V1GetSessionRequest(sessionID: created.id), metadata: admin
            ).message
            #expect(got.dataLinks == expected)
            let listed = try await client.unary(
                SessionServiceMethods.listSessions, request: V1ListSessionsRequest(), metadata: admin
            ).message.sessions
            #expect(listed.map(\.dataLinks) == [expected])

            // The watch's snapshot, then the change a pause makes.
            let watched = try await client.serverStreaming(
                SessionServiceMethods.watchSessions, request: V1WatchSessionsRequest(), metadata: admin
            ) { (stream: ClientResponseStream<V1WatchSessionsResponse>) in
                var seen: [V1WatchSessionsResponse] = []
                for try await response in stream {
                    seen.append(response)
                    if response.type == .snapshotEnd {
                        let paused = try await client.unary(
                            SessionServiceMethods.pauseSession, request: V1PauseSessionRequest(sessionID: created.id),
                            metadata: admin
                        ).message
                        #expect(paused.dataLinks == expected)
                    }
                    if response.type == .modified { break }
                }
                return seen
            }
            #expect(watched.first?.type == .added)
            #expect(watched.first?.session?.dataLinks == expected)
            #expect(watched.last?.type == .modified)
            #expect(watched.last?.session?.dataLinks == expected)
        }
    }
}
