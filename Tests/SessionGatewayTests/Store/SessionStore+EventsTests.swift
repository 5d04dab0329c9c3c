@testable import SessionGateway
import SessionSDK
import Testing

@Suite("SessionStore: activity log")
struct SessionStoreEventsTests {
    @Test("events page oldest first, each exactly once")
    func paging() async throws {
        try await StoreFixtures.withStore { store async throws in
            let session = try await StoreFixtures.create(store, "a")
            let other = try await StoreFixtures.create(store, "b")
            var appended: [SessionEvent] = []
            for index in 0..<25 {
                appended.append(try await store.appendEvent(
                    session: session.id, type: "STATE_CHANGED", message: "step \(index)", fromState: .pending,
                    toState: .running, now: Double(index)))
                try await store.appendEvent(session: other.id, type: "NOISE", message: "other \(index)")
            }
            var seen: [SessionEvent] = []
            var token = ""
            var pages = 0
            repeat {
                let page = try await store.events(session: session.id, workspace: .default, pageSize: 10, pageToken: token)
                seen += page.items
                token = page.nextPageToken
                pages += 1
            } while !token.isEmpty
            #expect(pages == 3)
            #expect(seen == appended)
            #expect(seen.first?.fromState == .pending)
            #expect(seen.first?.toState == .running)
        }
    }

    @Test("events of a session in another workspace are NOT_FOUND; foreign or bad tokens are INVALID_ARGUMENT")
    func refusals() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let session = try await StoreFixtures.create(store, "a")
            let other = try await StoreFixtures.create(store, "b")
            for index in 0..<3 {
                try await store.appendEvent(session: session.id, type: "T", message: "\(index)")
                try await store.appendEvent(session: other.id, type: "T", message: "\(index)")
            }
            let lab = WorkspaceID(rawValue: "lab")
            try await store.createWorkspace(lab)
            await expectSessionError(.notFound) { _ = try await store.events(session: session.id, workspace: lab) }
            await expectSessionError(.notFound) {
                try await store.appendEvent(session: session.id, workspace: lab, type: "T", message: "x")
            }
            await expectSessionError(.notFound) {
                try await store.appendEvent(session: SessionID(rawValue: "s-none"), type: "T", message: "x")
            }
            let token = try await store.events(session: session.id, workspace: .default, pageSize: 1).nextPageToken
            await expectSessionError(.invalidArgument) {
                _ = try await store.events(session: other.id, workspace: .default, pageSize: 1, pageToken: token)
            }
            await expectSessionError(.invalidArgument) {
                _ = try await store.events(session: session.id, workspace: .default, pageToken: "x" + token)
            }
            await expectSessionError(.invalidArgument) {
                _ = try await store.events(session: session.id, workspace: .default, pageSize: -5)
            }
        }
    }
}
