@testable import SessionGateway
import SessionSDK
import Testing

@Suite("SessionStore: checkpoints")
struct SessionStoreCheckpointsTests {
    private func checkpoint(_ session: Session, _ name: String, at time: Double = 1) -> Checkpoint {
        Checkpoint(
            id: SessionStore.newCheckpointID(), session: session.id, name: name, trigger: .periodic, sizeBytes: 1024,
            location: "/checkpoints/\(name)", createdAt: time)
    }

    @Test("names are unique per session, spaces become underscores, and duplicates are ALREADY_EXISTS")
    func uniqueNames() async throws {
        try await StoreFixtures.withStore { store async throws in
            let a = try await StoreFixtures.create(store, "a")
            let b = try await StoreFixtures.create(store, "b")
            let stored = try await store.addCheckpoint(checkpoint(a, "before big change"))
            #expect(stored.name == "before_big_change")
            let revision = try await store.currentRevision()

            for duplicate in ["before big change", "before_big_change"] {
                let error = await expectSessionError(.alreadyExists) { try await store.addCheckpoint(checkpoint(a, duplicate)) }
                #expect(error?.message.contains("'before_big_change'") == true)
            }
            // Another session may use the name.
            #expect(try await store.addCheckpoint(checkpoint(b, "before big change")).name == "before_big_change")
            // The failed adds left nothing behind.
            #expect(try await store.checkpoints(session: a.id, workspace: .default) == [stored])
            #expect(try await store.currentRevision() == revision)
        }
    }

    @Test("invalid names are INVALID_ARGUMENT", arguments: ["", "a/b", "tab\there", String(repeating: "x", count: 129)])
    func invalidNames(name: String) async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let a = try await StoreFixtures.create(store, "a")
            await expectSessionError(.invalidArgument) { try await store.addCheckpoint(checkpoint(a, name)) }
            #expect(try await store.checkpoints(session: a.id, workspace: .default).isEmpty)
        }
    }

    @Test("a checkpoint of an unknown session is NOT_FOUND; a reused id is ALREADY_EXISTS")
    func unknownSession() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let a = try await StoreFixtures.create(store, "a")
            var ghost = checkpoint(a, "x")
            ghost.session = SessionID(rawValue: "s-ghost")
            await expectSessionError(.notFound) { try await store.addCheckpoint(ghost) }
            let first = try await store.addCheckpoint(checkpoint(a, "one"))
            var reused = checkpoint(a, "two")
            reused.id = first.id
            await expectSessionError(.alreadyExists) { try await store.addCheckpoint(reused) }
        }
    }

    @Test("a session's checkpoints are listed newest first, and hidden from other workspaces")
    func listing() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let a = try await StoreFixtures.create(store, "a")
            let old = try await store.addCheckpoint(checkpoint(a, "old", at: 1))
            let new = try await store.addCheckpoint(checkpoint(a, "new", at: 3))
            let middle = try await store.addCheckpoint(checkpoint(a, "middle", at: 2))
            #expect(try await store.checkpoints(session: a.id, workspace: .default) == [new, middle, old])
            #expect(try await store.checkpoint(id: middle.id) == middle)

            let lab = WorkspaceID(rawValue: "lab")
            try await store.createWorkspace(lab)
            await expectSessionError(.notFound) { _ = try await store.checkpoints(session: a.id, workspace: lab) }
            await expectSessionError(.notFound) { _ = try await store.checkpoint(id: middle.id, workspace: lab) }
            await expectSessionError(.notFound) { _ = try await store.checkpoint(id: CheckpointID(rawValue: "c-none")) }
        }
    }

    @Test("checkpoints page newest first, each exactly once, also when several share a time; tokens are tied to the listing")
    func paging() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let a = try await StoreFixtures.create(store, "a")
            let b = try await StoreFixtures.create(store, "b")
            var added: [Checkpoint] = []
            for index in 0..<23 {
                added.append(try await store.addCheckpoint(checkpoint(a, "c\(index)", at: Double(index / 3))))
            }
            var seen: [Checkpoint] = []
            var token = ""
            var pages = 0
            repeat {
                let page = try await store.checkpoints(session: a.id, workspace: .default, pageSize: 5, pageToken: token)
                #expect(page.items.count <= 5)
                seen += page.items
                token = page.nextPageToken
                pages += 1
            } while !token.isEmpty
            #expect(pages == 5)
            #expect(seen == (try await store.checkpoints(session: a.id, workspace: .default)))
            #expect(Set(seen.map(\.id)) == Set(added.map(\.id)))
            let first = try await store.checkpoints(session: a.id, workspace: .default, pageSize: 5, pageToken: "")
            await expectSessionError(.invalidArgument) {
                _ = try await store.checkpoints(session: b.id, workspace: .default, pageSize: 5, pageToken: first.nextPageToken)
            }
            await expectSessionError(.invalidArgument) {
                _ = try await store.checkpoints(session: a.id, workspace: .default, pageSize: -1, pageToken: "")
            }
        }
    }

    @Test("rename normalizes the new name and refuses one the session already uses")
    func rename() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let a = try await StoreFixtures.create(store, "a")
            let one = try await store.addCheckpoint(checkpoint(a, "one"))
            try await store.addCheckpoint(checkpoint(a, "two"))
            #expect(try await store.renameCheckpoint(id: one.id, to: "my best run").name == "my_best_run")
            #expect(try await store.checkpoint(id: one.id).name == "my_best_run")
            await expectSessionError(.alreadyExists) { try await store.renameCheckpoint(id: one.id, to: "two") }
            #expect(try await store.checkpoint(id: one.id).name == "my_best_run")
            // Renaming to its own name is fine.
            #expect(try await store.renameCheckpoint(id: one.id, to: "my_best_run").name == "my_best_run")
            await expectSessionError(.notFound) {
                try await store.renameCheckpoint(id: one.id, to: "x", workspace: WorkspaceID(rawValue: "lab"))
            }
        }
    }

    @Test("a shared checkpoint is released only after the last session that references it is deleted")
    func sharedCheckpoint() async throws {
        try await StoreFixtures.withStore { store async throws in
            let origin = try await StoreFixtures.create(store, "origin")
            let shared = try await store.addCheckpoint(checkpoint(origin, "shared", at: 1))
            let own = try await store.addCheckpoint(checkpoint(origin, "own", at: 2))
            // One clone records its origin when created; another one references it later.
            let clone = try await store.createSession(
                workspace: .default, name: "clone", owner: "ada", spec: StoreFixtures.spec(), clonedFrom: shared.id
            ).session
            #expect(clone.clonedFrom == shared.id)
            let cloneOwn = try await store.addCheckpoint(checkpoint(clone, "clone own", at: 3))
            let second = try await StoreFixtures.create(store, "second")
            try await store.addCheckpointReference(checkpoint: shared.id, session: second.id)
            try await store.addCheckpointReference(checkpoint: shared.id, session: second.id)

            await expectSessionError(.failedPrecondition) { _ = try await store.releaseCheckpoints(ofDeletedSession: origin.id) }

            #expect(try await store.deleteSession(id: origin.id) == [own])
            #expect(try await store.releaseCheckpoints(ofDeletedSession: origin.id) == [own])
            // Still usable for clones and restores.
            #expect(try await store.checkpoint(id: shared.id) == shared)

            #expect(try await store.deleteSession(id: clone.id) == [cloneOwn])
            #expect(try await store.checkpoint(id: shared.id) == shared)

            #expect(try await store.deleteSession(id: second.id) == [shared])
            #expect(try await store.releaseCheckpoints(ofDeletedSession: second.id) == [shared])
            await expectSessionError(.notFound) { _ = try await store.checkpoint(id: shared.id) }

            #expect(Set(try await store.releasedCheckpoints()) == [own, cloneOwn, shared])
            for released in [own, cloneOwn, shared] { try await store.purgeCheckpoint(id: released.id) }
            try await store.purgeCheckpoint(id: shared.id)
            #expect(try await store.releasedCheckpoints().isEmpty)
            #expect(try await store.releaseCheckpoints(ofDeletedSession: second.id).isEmpty)
        }
    }

    @Test("a checkpoint in use cannot be purged; references need a known checkpoint in the same workspace")
    func referencesAndPurge() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let a = try await StoreFixtures.create(store, "a")
            let cp = try await store.addCheckpoint(checkpoint(a, "cp"))
            await expectSessionError(.failedPrecondition) { try await store.purgeCheckpoint(id: cp.id) }
            #expect(try await store.checkpoint(id: cp.id) == cp)

            let lab = WorkspaceID(rawValue: "lab")
            try await store.createWorkspace(lab)
            let foreign = try await StoreFixtures.create(store, "foreign", workspace: lab)
            await expectSessionError(.notFound) { try await store.addCheckpointReference(checkpoint: cp.id, session: foreign.id) }
            await expectSessionError(.notFound) {
                try await store.addCheckpointReference(checkpoint: CheckpointID(rawValue: "c-none"), session: a.id)
            }
            await expectSessionError(.notFound) {
                _ = try await store.createSession(
                    workspace: lab, name: "clone", owner: "ada", spec: StoreFixtures.spec(), clonedFrom: cp.id)
            }
        }
    }
}
