@testable import SessionGateway
import SessionSDK
import Testing

@Suite("SessionStore: retention")
struct SessionStoreRetentionTests {
    @Test("each session keeps its newest activity log entries; sessions under the limit keep all")
    func eventsPerSession() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let busy = try await StoreFixtures.create(store, "busy")
            let quiet = try await StoreFixtures.create(store, "quiet")
            for index in 0..<30 {
                try await store.appendEvent(session: busy.id, type: "STATE_CHANGED", message: "busy \(index)")
            }
            for index in 0..<5 {
                try await store.appendEvent(session: quiet.id, type: "STATE_CHANGED", message: "quiet \(index)")
            }
            #expect(try await store.pruneEvents(keepingLatestPerSession: 10) == 20)
            let kept = try await store.events(session: busy.id, workspace: .default, pageSize: 100).items.map(\.message)
            #expect(kept == (20..<30).map { "busy \($0)" })
            #expect(try await store.events(session: quiet.id, workspace: .default, pageSize: 100).items.count == 5)
            #expect(try await store.pruneEvents(keepingLatestPerSession: 10) == 0)
        }
    }

    @Test("audit entries older than the cutoff are removed, newer ones kept")
    func auditTrail() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            for time in [100.0, 200, 300, 400] {
                try await store.appendAudit(AuditEntry(
                    time: time, caller: "c", workspace: "default", action: "a", target: "t\(Int(time))", result: "OK"))
            }
            #expect(try await store.pruneAudit(before: 250) == 2)
            #expect(try await store.auditEntries().map(\.target) == ["t300", "t400"])
            #expect(try await store.pruneAudit(before: 1_000) == 2)
            #expect(try await store.auditEntries().isEmpty)
        }
    }
}
