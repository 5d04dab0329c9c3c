@testable import SessionGateway
import SessionSDK
import Testing

@Suite("SessionStore: idle marks")
struct SessionStoreIdleTests {
    @Test("marks are kept only while a session runs: a pause forgets them, and a look racing with it does not bring them back")
    func keptWhileRunning() async throws {
        try await StoreFixtures.withStore { store async throws in
            let session = try await StoreFixtures.create(store, "idle")
            #expect(try await !store.recordIdleMarks([.cpu: 10], of: session.id), "not running yet")
            try await store.updateSession(id: session.id) { $0.state = .running }
            #expect(try await store.recordIdleMarks([.cpu: 10, .terminal: 20], of: session.id))
            #expect(try await store.idleMarks(of: session.id) == [.cpu: 10, .terminal: 20])
            try await store.updateSession(id: session.id) { $0.stateReason = "still running" }
            #expect(try await store.idleMarks(of: session.id)?.count == 2, "other changes keep them")

            try await store.updateSession(id: session.id) { $0.state = .pausing }
            #expect(try await store.idleMarks(of: session.id) == nil)
            #expect(try await !store.recordIdleMarks([.cpu: 30], of: session.id))
            #expect(try await store.idleMarks(of: session.id) == nil)

            try await store.updateSession(id: session.id) { $0.state = .running }
            try await store.recordIdleMarks([.cpu: 40], of: session.id)
            try await store.deleteSession(id: session.id)
            #expect(try await store.idleMarks(of: session.id) == nil)
        }
    }
}
