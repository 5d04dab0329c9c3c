import Foundation
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import Testing

/// A session record's size is bounded, and a page of ListSessions always fits the
/// message limit, however large the sessions on it.
@Suite("Tenancy: session records fit the message limit", .timeLimit(.minutes(2)))
struct RecordSizeTests {
    @Test("ListSessions of 24 sessions at the size limits, asked for 1000 at a time, comes in pages that fit 4 MiB, each session once")
    func pagesFitTheMessageLimit() async throws {
        try await RunningGateway.run(configure: { $0.reconcileInterval = .seconds(3600) }) { gateway in
            let store = gateway.gateway.store
            // Seven values of 32 KiB (the most a session may hold), in an environment no
            // backend serves, so that nothing starts.
            let big = String(repeating: "v", count: 32 * 1024)
            let spec = SessionSpec(
                preset: "notebook", image: "python3", computeEnvironment: "nowhere",
                environment: (0..<7).map { .init(name: "BIG\($0)", value: .plain(big)) },
                labels: Dictionary(uniqueKeysWithValues: (0..<200).map { ("k\($0)", String(repeating: "l", count: 63)) }))
            var created: Set<String> = []
            for index in 0..<24 {
                created.insert(try await store.createSession(workspace: .default, name: "big-\(index)", owner: "ada", spec: spec).session.id.rawValue)
            }
            let admin = RunningGateway.metadata(gateway.adminToken)
            var seen: [String] = []
            var token = ""
            var pages = 0
            repeat {
                let page = try await gateway.client.unary(
                    SessionServiceMethods.listSessions, request: V1ListSessionsRequest(pageSize: 1000, pageToken: token),
                    metadata: admin
                ).message
                #expect(!page.sessions.isEmpty)
                seen += page.sessions.map(\.id)
                token = page.nextPageToken
                pages += 1
            } while !token.isEmpty && pages < 30
            #expect(pages > 1)
            #expect(seen.count == 24)
            #expect(Set(seen) == created)
        }
    }

    @Test("a backend's long failure reason is stored cut to 8 KiB")
    func reasonsAreBounded() async throws {
        // The store alone: a running gateway's reconciler polls a PENDING session and
        // may write its own reason between the update and the read.
        try await StoreFixtures.withStore { store in
            let session = try await store.createSession(
                workspace: .default, name: "noisy", owner: "ada",
                spec: SessionSpec(preset: "notebook", image: "python3", computeEnvironment: "nowhere")).session
            let updated = try await store.updateSession(id: session.id) { $0.stateReason = String(repeating: "é", count: 100_000) }
            #expect(updated.stateReason.utf8.count <= Session.maxReasonBytes)
            #expect(updated.stateReason.hasSuffix("…"))
            #expect(try await store.session(id: session.id, workspace: .default).stateReason == updated.stateReason)
        }
    }
}
