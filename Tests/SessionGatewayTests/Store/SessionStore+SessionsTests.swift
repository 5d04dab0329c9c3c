import GRDB
@testable import SessionGateway
import SessionSDK
import Testing

@Suite("SessionStore: sessions")
struct SessionStoreSessionsTests {
    let lab = WorkspaceID(rawValue: "lab")

    @Test("create is idempotent by workspace and name: the same spec returns the same session")
    func idempotentCreate() async throws {
        try await StoreFixtures.withStore { store async throws in
            let spec = StoreFixtures.spec(labels: ["team": "ml"])
            let first = try await store.createSession(workspace: .default, name: "train", owner: "ada", spec: spec, now: 10)
            let again = try await store.createSession(workspace: .default, name: "train", owner: "ada", spec: spec, now: 20)
            #expect(first.created)
            #expect(!again.created)
            #expect(again.session == first.session)
            #expect(first.session.id.rawValue.hasPrefix("s-"))
            #expect(first.session.state == .pending)
            #expect(first.session.createdAt == 10)
            // The repeat wrote nothing.
            #expect(try await store.currentRevision() == first.session.revision)
            #expect(try await store.listSessions(workspace: .default).items.count == 1)
        }
    }

    @Test("create with the same name and another spec is ALREADY_EXISTS naming the name, and changes nothing")
    func alreadyExists() async throws {
        try await StoreFixtures.withStore { store async throws in
            let original = try await StoreFixtures.create(store, "train")
            let error = await expectSessionError(.alreadyExists) {
                _ = try await store.createSession(
                    workspace: .default, name: "train", owner: "ada", spec: StoreFixtures.spec(image: "gpu"))
            }
            #expect(error?.message.contains("'train'") == true)
            #expect(try await store.session(id: original.id, workspace: .default) == original)
            #expect(try await store.currentRevision() == original.revision)
            // The same name in another workspace is another session.
            try await store.createWorkspace(lab)
            let other = try await StoreFixtures.create(store, "train", workspace: lab, spec: StoreFixtures.spec(image: "gpu"))
            #expect(other.id != original.id)
        }
    }

    @Test("home volume bytes are summed per workspace and environment, leaving out the named session, also for rows from before v2")
    func homeVolumeBytes() async throws {
        try await StoreFixtures.withStore { store async throws in
            func spec(_ environment: String, _ volume: SessionSpec.HomeVolume) -> SessionSpec {
                var spec = StoreFixtures.spec(environment: environment)
                spec.homeVolume = volume
                return spec
            }
            try await StoreFixtures.create(store, "a", spec: spec("local", .new(sizeBytes: 100)))
            try await StoreFixtures.create(store, "b", spec: spec("local", .new(sizeBytes: 20)))
            try await StoreFixtures.create(store, "c", spec: spec("local", .existing("shared")))
            try await StoreFixtures.create(store, "d", spec: spec("gpu", .new(sizeBytes: 7)))
            try await store.createWorkspace(WorkspaceID(rawValue: "lab"))
            try await StoreFixtures.create(store, "e", workspace: WorkspaceID(rawValue: "lab"), spec: spec("local", .new(sizeBytes: 5)))
            let sum = { (environment: String, name: String) in
                try await store.homeVolumeBytes(workspace: .default, computeEnvironment: environment, excluding: name)
            }
            #expect(try await sum("local", "new") == 120)
            #expect(try await sum("local", "a") == 20)
            #expect(try await sum("gpu", "new") == 7)
            // Sessions stored before the column existed get their size from the spec.
            try await store.write { db in
                try db.execute(sql: "UPDATE sessions SET home_volume_bytes = 0")
                try db.execute(sql: StoreSchema.backfillHomeVolumes)
            }
            #expect(try await sum("local", "new") == 120)
        }
    }

    @Test("ids are unique")
    func uniqueIDs() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            var ids = Set<SessionID>()
            for index in 0..<200 { ids.insert(try await StoreFixtures.create(store, "s\(index)").id) }
            #expect(ids.count == 200)
        }
    }

    @Test("an unknown id and an id from another workspace are the same NOT_FOUND")
    func notFoundAcrossWorkspaces() async throws {
        try await StoreFixtures.withStore { store async throws in
            try await store.createWorkspace(lab)
            let hidden = try await StoreFixtures.create(store, "secret", workspace: lab)
            let foreign = await expectSessionError(.notFound) { _ = try await store.session(id: hidden.id, workspace: .default) }
            let unknown = SessionID(rawValue: "s-doesnotexist0000")
            let missing = await expectSessionError(.notFound) { _ = try await store.session(id: unknown, workspace: .default) }
            #expect(foreign?.message == "session '\(hidden.id)' not found")
            #expect(missing?.message == "session '\(unknown)' not found")
            #expect(try await store.session(id: hidden.id, workspace: lab) == hidden)
            // Writes are scoped the same way.
            await expectSessionError(.notFound) {
                try await store.updateSession(id: hidden.id, workspace: .default) { $0.stateReason = "x" }
            }
            await expectSessionError(.notFound) { try await store.deleteSession(id: hidden.id, workspace: .default) }
            await expectSessionError(.notFound) {
                _ = try await store.createSession(
                    workspace: WorkspaceID(rawValue: "nowhere"), name: "a", owner: "ada", spec: StoreFixtures.spec())
            }
        }
    }

    @Test("paging through 237 sessions 10 at a time returns each exactly once, in creation order then id")
    func pagination() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            var created: [Session] = []
            for index in 0..<237 {
                // Three sessions per timestamp, so the id breaks ties.
                created.append(try await StoreFixtures.create(store, "s\(index)", now: Double(1000 + index / 3)))
            }
            try await store.createWorkspace(lab)
            try await StoreFixtures.create(store, "elsewhere", workspace: lab)
            let expected = created.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.map(\.id)

            var seen: [SessionID] = []
            var token = ""
            var pages = 0
            repeat {
                let page = try await store.listSessions(workspace: .default, pageSize: 10, pageToken: token)
                #expect(page.items.count == (page.nextPageToken.isEmpty ? 7 : 10))
                seen += page.items.map(\.id)
                token = page.nextPageToken
                pages += 1
            } while !token.isEmpty && pages < 100
            #expect(pages == 24)
            #expect(seen == expected)
        }
    }

    @Test("a page token that was tampered with, is garbage, or belongs to another query is INVALID_ARGUMENT")
    func tamperedToken() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            for index in 0..<5 { try await StoreFixtures.create(store, "s\(index)", now: Double(index)) }
            let token = try await store.listSessions(workspace: .default, pageSize: 2).nextPageToken
            #expect(!token.isEmpty)

            var characters = Array(token)
            let middle = characters.count / 2
            characters[middle] = characters[middle] == "A" ? "B" : "A"
            let tampered = String(characters)
            let forged = "eyJpIjoicy16enp6IiwicSI6MSwidCI6MH0AAAAAAAAAAA"  // JSON with a wrong checksum
            for bad in [tampered, "not a token", "%%%", forged, String(token.dropLast(4)), String(repeating: "A", count: 5000)] {
                let error = await expectSessionError(.invalidArgument) {
                    _ = try await store.listSessions(workspace: .default, pageSize: 2, pageToken: bad)
                }
                #expect(error?.message == "page token is invalid")
            }
            // A valid token, but for a different filter or workspace.
            await expectSessionError(.invalidArgument) {
                _ = try await store.listSessions(
                    workspace: .default, filter: SessionFilter(owner: "ada"), pageSize: 2, pageToken: token)
            }
            try await store.createWorkspace(lab)
            await expectSessionError(.invalidArgument) {
                _ = try await store.listSessions(workspace: lab, pageSize: 2, pageToken: token)
            }
            // The untouched token still works.
            #expect(try await store.listSessions(workspace: .default, pageSize: 2, pageToken: token).items.count == 2)
        }
    }

    @Test("page size: 0 means 50, more than 1000 is clamped to 1000, negative is INVALID_ARGUMENT")
    func pageSizes() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            for index in 0..<1001 { try await StoreFixtures.create(store, "s\(index)", now: Double(index)) }
            #expect(try await store.listSessions(workspace: .default).items.count == 50)
            let clamped = try await store.listSessions(workspace: .default, pageSize: 5000)
            #expect(clamped.items.count == 1000)
            #expect(!clamped.nextPageToken.isEmpty)
            let rest = try await store.listSessions(workspace: .default, pageSize: 5000, pageToken: clamped.nextPageToken)
            #expect(rest.items.count == 1)
            #expect(rest.nextPageToken.isEmpty)
            let error = await expectSessionError(.invalidArgument) {
                _ = try await store.listSessions(workspace: .default, pageSize: -1)
            }
            #expect(error?.message.contains("page_size") == true)
        }
    }

    @Test("label filters match exact key and value only, and every label of the filter")
    func labelFilters() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let cases: [(String, [String: String])] = [
                ("both", ["team": "ml", "env": "prod"]),
                ("longer-value", ["team": "ml-ops"]),
                ("longer-key", ["teams": "ml"]),
                ("upper-case", ["team": "ML"]),
                ("exact", ["team": "ml"]),
                ("none", [:]),
            ]
            for (index, (name, labels)) in cases.enumerated() {
                try await StoreFixtures.create(store, name, spec: StoreFixtures.spec(labels: labels), now: Double(index))
            }
            func names(_ labels: [String: String]) async throws -> [String] {
                try await store.listSessions(workspace: .default, filter: SessionFilter(labels: labels)).items.map(\.name)
            }
            #expect(try await names(["team": "ml"]) == ["both", "exact"])
            #expect(try await names(["team": "ml", "env": "prod"]) == ["both"])
            #expect(try await names(["team": "ml", "env": "dev"]) == [])
            #expect(try await names(["tea": "ml"]) == [])
            #expect(try await names(["team": "m"]) == [])
            #expect(try await names([:]).count == cases.count)
        }
    }

    @Test("filters by state, compute environment and owner combine")
    func otherFilters() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let a = try await StoreFixtures.create(store, "a", owner: "ada", spec: StoreFixtures.spec(environment: "slurm"), now: 1)
            try await StoreFixtures.create(store, "b", owner: "bob", spec: StoreFixtures.spec(environment: "slurm"), now: 2)
            let c = try await StoreFixtures.create(store, "c", owner: "ada", now: 3)
            try await store.updateSession(id: a.id) { $0.state = .running }
            try await store.updateSession(id: c.id) { $0.state = .paused }
            func names(_ filter: SessionFilter) async throws -> [String] {
                try await store.listSessions(workspace: .default, filter: filter).items.map(\.name)
            }
            #expect(try await names(SessionFilter(states: [.running])) == ["a"])
            #expect(try await names(SessionFilter(states: [.running, .paused])) == ["a", "c"])
            #expect(try await names(SessionFilter(computeEnvironment: "slurm")) == ["a", "b"])
            #expect(try await names(SessionFilter(owner: "ada")) == ["a", "c"])
            #expect(try await names(SessionFilter(states: [.pending], computeEnvironment: "slurm", owner: "bob")) == ["b"])
            #expect(try await names(SessionFilter(states: [.pending], owner: "ada")) == [])
            // For the reconciler, across workspaces.
            #expect(try await store.sessions(inStates: [.pending, .paused]).map(\.name) == ["b", "c"])
        }
    }

    @Test("labels edited by an update are what later filters see")
    func labelUpdates() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            let session = try await StoreFixtures.create(store, "a", spec: StoreFixtures.spec(labels: ["team": "ml"]))
            try await store.updateSession(id: session.id) { $0.spec.labels = ["team": "infra"] }
            let ml = try await store.listSessions(workspace: .default, filter: SessionFilter(labels: ["team": "ml"]))
            let infra = try await store.listSessions(workspace: .default, filter: SessionFilter(labels: ["team": "infra"]))
            #expect(ml.items.isEmpty)
            #expect(infra.items.map(\.id) == [session.id])
        }
    }

    @Test("an update with a stale expected revision is ABORTED and changes nothing")
    func optimisticConcurrency() async throws {
        try await StoreFixtures.withStore { store async throws in
            let session = try await StoreFixtures.create(store, "a")
            let running = try await store.updateSession(id: session.id, expectedRevision: session.revision, now: 50) {
                $0.state = .running
                $0.handle = SessionHandle(rawValue: "pgid:42")
            }
            #expect(running.state == .running)
            #expect(running.revision > session.revision)
            #expect(running.updatedAt == 50)
            #expect(running.createdAt == session.createdAt)

            let error = await expectSessionError(.aborted) {
                try await store.updateSession(id: session.id, expectedRevision: session.revision) { $0.state = .paused }
            }
            #expect(error?.message.contains("'a'") == true)
            #expect(try await store.session(id: session.id, workspace: .default) == running)
        }
    }

    @Test("of two concurrent updates from the same revision, exactly one wins")
    func concurrentUpdates() async throws {
        try await StoreFixtures.withStore { store async throws in
            let session = try await StoreFixtures.create(store, "a")
            let outcomes = await withTaskGroup(of: SessionError.Code?.self) { group in
                for reason in ["first", "second"] {
                    group.addTask {
                        do {
                            try await store.updateSession(id: session.id, expectedRevision: session.revision) {
                                $0.stateReason = reason
                            }
                            return nil
                        } catch let error as SessionError {
                            return error.code
                        } catch {
                            return .unknown
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 1)
            #expect(outcomes.filter { $0 == .aborted }.count == 1)
        }
    }

    @Test("an update that changes nothing writes nothing; one that throws leaves everything as it was")
    func updateWithoutChange() async throws {
        try await StoreFixtures.withStore { store async throws in
            let session = try await StoreFixtures.create(store, "a")
            let same = try await store.updateSession(id: session.id) { $0.state = .pending }
            #expect(same == session)
            #expect(try await store.currentRevision() == session.revision)

            await expectSessionError(.failedPrecondition) {
                try await store.updateSession(id: session.id) { session throws(SessionError) in
                    session.state = .running
                    throw SessionError(.failedPrecondition, "refused")
                }
            }
            await expectSessionError(.internalError) {
                try await store.updateSession(id: session.id) { $0.id = SessionID(rawValue: "s-other") }
            }
            #expect(try await store.session(id: session.id, workspace: .default) == session)
            #expect(try await store.currentRevision() == session.revision)
        }
    }

    @Test("a rename to a taken name is ALREADY_EXISTS")
    func renameCollision() async throws {
        try await StoreFixtures.withMemoryStore { store async throws in
            try await StoreFixtures.create(store, "a")
            let b = try await StoreFixtures.create(store, "b")
            await expectSessionError(.alreadyExists) { try await store.updateSession(id: b.id) { $0.name = "a" } }
            #expect(try await store.updateSession(id: b.id) { $0.name = "c" }.name == "c")
        }
    }

    @Test("delete removes the session; deleting again is NOT_FOUND")
    func delete() async throws {
        try await StoreFixtures.withStore { store async throws in
            let session = try await StoreFixtures.create(store, "a", spec: StoreFixtures.spec(labels: ["team": "ml"]))
            try await store.appendEvent(session: session.id, type: "CREATED", message: "created")
            try await store.deleteSession(id: session.id)
            await expectSessionError(.notFound) { _ = try await store.session(id: session.id, workspace: .default) }
            await expectSessionError(.notFound) { try await store.deleteSession(id: session.id) }
            #expect(try await store.listSessions(workspace: .default, filter: SessionFilter(labels: ["team": "ml"])).items == [])
            // The name is free again.
            #expect(try await StoreFixtures.create(store, "a", spec: StoreFixtures.spec(image: "other")).id != session.id)
        }
    }

    @Test("a clone's create that fails part-way (unknown checkpoint) leaves no session and no revision behind")
    func failedCreateRollsBack() async throws {
        try await StoreFixtures.withStore { store async throws in
            let before = try await store.currentRevision()
            await expectSessionError(.notFound) {
                _ = try await store.createSession(
                    workspace: .default, name: "clone", owner: "ada", spec: StoreFixtures.spec(),
                    clonedFrom: CheckpointID(rawValue: "c-missing"))
            }
            await expectSessionError(.notFound) {
                _ = try await store.createSession(
                    workspace: .default, name: "linked", owner: "ada", spec: StoreFixtures.spec(dataLinks: ["d-missing"]))
            }
            #expect(try await store.currentRevision() == before)
            #expect(try await store.listSessions(workspace: .default).items.isEmpty)
            #expect(try await store.changes(since: 0).isEmpty)
            // Nothing holds the name: a create with any spec succeeds.
            #expect(try await store.createSession(
                workspace: .default, name: "clone", owner: "ada", spec: StoreFixtures.spec(image: "x")).created)
        }
    }

    @Test("the spec, handle and connection round-trip through the store")
    func roundTrip() async throws {
        try await StoreFixtures.withStore { store async throws in
            var spec = StoreFixtures.spec(labels: ["a": "1", "b": "2"])
            spec.resources = Resources(cpuMillis: 1500, memoryBytes: 3 << 30, gpus: 1)
            spec.homeVolume = .existing("claim-7")
            spec.dataVolumes = [.init(source: "vol", mountPath: "/mnt/vol", readOnly: true)]
            let session = try await StoreFixtures.create(store, "a", spec: spec)
            let updated = try await store.updateSession(id: session.id) {
                $0.state = .running
                $0.stateReason = "serving"
                $0.handle = SessionHandle(rawValue: "job/17")
                $0.connection = Session.Connection(url: "http://127.0.0.1:9000/", accessToken: "tok")
            }
            #expect(try await store.session(id: session.id, workspace: .default) == updated)
            #expect(try await store.sessionsSnapshot(workspace: .default).sessions == [updated])
        }
    }
}
