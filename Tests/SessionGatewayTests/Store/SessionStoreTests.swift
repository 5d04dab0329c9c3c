import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

@Suite("SessionStore: opening, durability, workspaces")
struct SessionStoreTests {
    @Test("a file store is in WAL mode with synchronous = FULL, so a returned write is on disk")
    func durableSettings() async throws {
        try await StoreFixtures.withStore { store async throws in
            #expect(try await store.pragma("journal_mode") == "wal")
            // 2 is FULL; GRDB's WAL set-up alone would leave NORMAL (1).
            #expect(try await store.pragma("synchronous") == "2")
            #expect(try await store.pragma("foreign_keys") == "1")
        }
    }

    @Test("the default workspace exists on first open, and created workspaces are listed")
    func workspaces() async throws {
        try await StoreFixtures.withStore { store async throws in
            #expect(try await store.workspaces() == [.default])
            #expect(try await store.createWorkspace(WorkspaceID(rawValue: "lab")))
            #expect(try await store.createWorkspace(WorkspaceID(rawValue: "lab")) == false)
            #expect(try await store.workspaces() == [.default, WorkspaceID(rawValue: "lab")])
            await expectSessionError(.invalidArgument) { try await store.createWorkspace(WorkspaceID(rawValue: "")) }
        }
    }

    @Test("what was written is there after closing and reopening the file")
    func durability() async throws {
        let directory = try StoreFixtures.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path

        let first = try SessionStore(location: .file(path), logger: StoreFixtures.logger)
        let session = try await StoreFixtures.create(first, "train", spec: StoreFixtures.spec(labels: ["team": "ml"]))
        let link = try await first.createDataLink(
            workspace: .default, name: "Raw Data", location: DataLinkLocation(scheme: .s3, bucket: "b", prefix: "raw"))
        let checkpoint = try await first.addCheckpoint(Checkpoint(
            id: SessionStore.newCheckpointID(), session: session.id, name: "first save", trigger: .start, sizeBytes: 10,
            location: "/cp/1", createdAt: 5))
        try await first.appendEvent(session: session.id, type: "STATE_CHANGED", message: "started", toState: .running)
        let later = try await StoreFixtures.create(first, "later", now: 1_800_000_000)
        let firstPage = try await first.listSessions(workspace: .default, pageSize: 1)
        let revision = try await first.currentRevision()
        try first.close()

        let second = try SessionStore(location: .file(path), logger: StoreFixtures.logger)
        defer { try? second.close() }
        #expect(try await second.session(id: session.id, workspace: .default) == session)
        #expect(try await second.dataLink(id: link.id, workspace: .default) == link)
        #expect(try await second.checkpoints(session: session.id, workspace: .default) == [checkpoint])
        #expect(try await second.events(session: session.id, workspace: .default).items.map(\.message) == ["started"])
        #expect(try await second.currentRevision() == revision)
        #expect(try await second.changes(since: 0).map(\.revision) == [session.revision, later.revision])
        #expect(later.revision == revision)
        #expect(try await second.workspaces() == [.default])
        // Page tokens are keyed with a secret kept in the file, so they survive a restart.
        #expect(firstPage.items == [session])
        let secondPage = try await second.listSessions(workspace: .default, pageSize: 1, pageToken: firstPage.nextPageToken)
        #expect(secondPage.items == [later])
    }

    @Test("opening something that is not a store fails with a SessionError")
    func openFailure() async throws {
        let directory = try StoreFixtures.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("not-a-database").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SessionStore(location: .file(path), logger: StoreFixtures.logger)
            Issue.record("opened a file that is not a database")
        } catch {
            #expect(error.code == .internalError || error.code == .unavailable)
            #expect(error.message.contains("cannot be opened"))
        }
    }

    @Test("operations on a closed store are UNAVAILABLE instead of crashing")
    func closed() async throws {
        let store = try SessionStore(location: .inMemory, logger: StoreFixtures.logger)
        try store.close()
        await expectSessionError(.unavailable) { _ = try await store.workspaces() }
        await expectSessionError(.unavailable) { try await StoreFixtures.create(store, "a") }
    }
}
