import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

@Suite("SessionStore: revisions and the change log", .timeLimit(.minutes(1)))
struct SessionStoreChangesTests {
    let lab = WorkspaceID(rawValue: "lab")

    /// Makes a history across two workspaces: adds, modifications and a delete.
    private func makeHistory(_ store: SessionStore) async throws -> [Session] {
        try await store.createWorkspace(lab)
        let a = try await StoreFixtures.create(store, "a")
        let b = try await StoreFixtures.create(store, "b", workspace: lab)
        let a2 = try await store.updateSession(id: a.id) { $0.state = .running }
        let b2 = try await store.updateSession(id: b.id) { $0.state = .failed }
        let c = try await StoreFixtures.create(store, "c")
        try await store.deleteSession(id: b.id)
        let a3 = try await store.updateSession(id: a.id) { $0.stateReason = "busy" }
        return [a, b, a2, b2, c, a3]
    }

    @Test("every change bumps one global revision, and the session carries it")
    func monotonic() async throws {
        try await StoreFixtures.withStore { store async throws in
            #expect(try await store.currentRevision() == 0)
            let history = try await makeHistory(store)
            let revisions = history.map(\.revision)
            #expect(revisions == revisions.sorted())
            #expect(Set(revisions).count == revisions.count)
            // Six session writes and one delete.
            #expect(try await store.currentRevision() == 7)
        }
    }

    @Test("the change log is readable from every revision, and filtered by workspace")
    func readableFromAnyRevision() async throws {
        try await StoreFixtures.withStore { store async throws in
            let history = try await makeHistory(store)
            let all = try await store.changes(since: 0)
            #expect(all.map(\.revision) == Array(1...7))
            #expect(all.map(\.kind) == [.added, .added, .modified, .modified, .added, .deleted, .modified])
            #expect(all[5].session == nil)
            #expect(all[5].sessionID == history[1].id)
            #expect(all.compactMap(\.session) == history)
            for revision in Int64(0)...7 {
                #expect(try await store.changes(since: revision).map(\.revision) == Array(stride(from: revision + 1, through: 7, by: 1)))
            }
            let lab = try await store.changes(since: 0, workspace: lab)
            #expect(lab.map(\.revision) == [2, 4, 6])
            #expect(try await store.changes(since: 1, limit: 2).map(\.revision) == [2, 3])
            let future = await expectSessionError(.invalidArgument) { _ = try await store.changes(since: 8) }
            #expect(future?.message.contains("8") == true)
            await expectSessionError(.invalidArgument) { _ = try await store.changes(since: -1) }
        }
    }

    @Test("the change log is the same when read from a reopened file (no in-memory window)")
    func readableAfterReopen() async throws {
        let directory = try StoreFixtures.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let store = try SessionStore(location: .file(path), logger: StoreFixtures.logger)
        _ = try await makeHistory(store)
        let before = try await store.changes(since: 0)
        try store.close()
        let reopened = try SessionStore(location: .file(path), logger: StoreFixtures.logger)
        #expect(try await reopened.changes(since: 0) == before)
        #expect(try await reopened.changes(since: 3, workspace: lab) == before.filter { $0.revision > 3 && $0.workspace == lab })
        try reopened.close()
    }

    @Test("a watch delivers the backlog, then new changes as they commit", arguments: [1024, 2])
    func watch(window: Int) async throws {
        var configuration = SessionStore.Configuration.defaults
        configuration.recentChangeWindow = window
        try await StoreFixtures.withStore(configuration: configuration) { store async throws in
            let first = try await StoreFixtures.create(store, "a")
            let watcher = Task {
                var seen: [SessionChange] = []
                for try await change in store.watchChanges(workspace: .default, after: 0) {
                    seen.append(change)
                    if seen.count == 6 { break }
                }
                return seen
            }
            try await store.createWorkspace(lab)
            try await StoreFixtures.create(store, "hidden", workspace: lab)
            for reason in ["one", "two", "three", "four"] {
                try await store.updateSession(id: first.id) { $0.stateReason = reason }
            }
            try await store.deleteSession(id: first.id)
            let seen = try await watcher.value
            #expect(seen.map(\.kind) == [.added, .modified, .modified, .modified, .modified, .deleted])
            #expect(seen.compactMap(\.session?.stateReason) == ["", "one", "two", "three", "four"])
            #expect(seen.allSatisfy { $0.workspace == .default })
        }
    }

    @Test("a thousand waiting watchers all receive one change")
    func fanOut() async throws {
        try await StoreFixtures.withStore { store async throws in
            let start = try await store.currentRevision()
            let received = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<1000 {
                    group.addTask {
                        for try await change in store.watchChanges(workspace: .default, after: start) {
                            return change.revision
                        }
                        return -1
                    }
                }
                try await Task.sleep(for: .milliseconds(100))
                let session = try await StoreFixtures.create(store, "a")
                var revisions: [Int64] = []
                for try await revision in group { revisions.append(revision) }
                return (revisions, session.revision)
            }
            #expect(received.0.count == 1000)
            #expect(received.0.allSatisfy { $0 == received.1 })
        }
    }

    @Test("a watch ends when its task is cancelled or the store closes")
    func watchEnds() async throws {
        let store = try SessionStore(location: .inMemory, logger: StoreFixtures.logger)
        let revision = try await store.currentRevision()
        let cancelled = Task {
            var count = 0
            for try await _ in store.watchChanges(workspace: nil, after: revision) { count += 1 }
            return count
        }
        let closed = Task {
            var count = 0
            for try await _ in store.watchChanges(workspace: nil, after: revision) { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        #expect(try await cancelled.value == 0)
        try store.close()
        #expect(try await closed.value == 0)
    }

    @Test("pruning keeps the newest changes; reading from before them is FAILED_PRECONDITION")
    func prune() async throws {
        let directory = try StoreFixtures.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let store = try SessionStore(location: .file(path), logger: StoreFixtures.logger)
        _ = try await makeHistory(store)
        #expect(try await store.pruneChanges(keepingLatest: 3) == 4)
        try store.close()
        // Reopened, so the answer comes from the log rather than the in-memory window.
        let reopened = try SessionStore(location: .file(path), logger: StoreFixtures.logger)
        defer { try? reopened.close() }
        #expect(try await reopened.changes(since: 4).map(\.revision) == [5, 6, 7])
        await expectSessionError(.failedPrecondition) { _ = try await reopened.changes(since: 3) }
        await expectSessionError(.invalidArgument) { try await reopened.pruneChanges(keepingLatest: -1) }
    }
}
