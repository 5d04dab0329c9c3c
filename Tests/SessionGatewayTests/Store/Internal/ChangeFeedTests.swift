@testable import SessionGateway
import SessionSDK
import Testing

@Suite("ChangeFeed", .timeLimit(.minutes(1)))
struct ChangeFeedTests {
    private func change(_ revision: Int64, _ workspace: String = "default") -> SessionChange {
        SessionChange(
            revision: revision, sessionID: SessionID(rawValue: "s-\(revision)"), workspace: WorkspaceID(rawValue: workspace),
            kind: .modified, session: nil)
    }

    @Test("the window answers for recent revisions and defers older ones to the log")
    func window() {
        let feed = ChangeFeed(revision: 10, capacity: 3)
        #expect(feed.recent(after: 10, workspace: nil, limit: 10)?.changes == [])
        #expect(feed.recent(after: 9, workspace: nil, limit: 10) == nil)
        for revision in Int64(11)...17 { feed.publish(change(revision, revision % 2 == 0 ? "a" : "b")) }
        #expect(feed.latest == 17)
        // At most 2 × capacity are kept; the oldest are dropped.
        #expect(feed.recent(after: 10, workspace: nil, limit: 10) == nil)
        let recent = feed.recent(after: 14, workspace: nil, limit: 10)
        #expect(recent?.changes.map(\.revision) == [15, 16, 17])
        #expect(recent?.through == 17)
        let filtered = feed.recent(after: 14, workspace: WorkspaceID(rawValue: "a"), limit: 10)
        #expect(filtered?.changes.map(\.revision) == [16])
        #expect(filtered?.through == 17)
        let limited = feed.recent(after: 14, workspace: nil, limit: 2)
        #expect(limited?.changes.map(\.revision) == [15, 16])
        #expect(limited?.through == 16)
        #expect(feed.recent(after: 18, workspace: nil, limit: 10) == nil)
    }

    @Test("waiting returns once a newer revision is published, at once when it already is")
    func wait() async {
        let feed = ChangeFeed(revision: 0, capacity: 8)
        feed.publish(change(1))
        await feed.wait(after: 0)
        let waiter = Task { await feed.wait(after: 1) }
        try? await Task.sleep(for: .milliseconds(20))
        feed.publish(change(2))
        await waiter.value
    }

    @Test("cancellation and closing release waiters")
    func release() async {
        let feed = ChangeFeed(revision: 0, capacity: 8)
        let cancelled = Task { await feed.wait(after: 0) }
        cancelled.cancel()
        await cancelled.value
        let closed = Task { await feed.wait(after: 0) }
        try? await Task.sleep(for: .milliseconds(20))
        feed.close()
        await closed.value
        #expect(feed.isClosed)
        await feed.wait(after: 0)
    }
}
