import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

/// A store written by an earlier release stays readable, record by record, and the
/// record format tolerates fields it does not know and fields it no longer finds.
@Suite struct StoreCompatibilityTests {
    /// `Store/Fixtures/store-dc1ab91.sqlite`: written by release dc1ab91 (the last one
    /// whose records were the SessionSDK types' synthesized `Codable`) running on its
    /// embedded default: a data-link `genomes`; a session `analysis` with an
    /// environment variable, two labels, the data-link, an 8 h duration limit and a
    /// 1 GiB home, started, paused, resumed, a checkpoint renamed "first run", paused
    /// again; a session `scratch` (legacy image, medium pod) created and deleted; a
    /// member `alice` with role launch and an API token of hers.
    static let fixture = URL(filePath: #filePath).deletingLastPathComponent()
        .appending(path: "Fixtures/store-dc1ab91.sqlite")

    /// Runs `body` with a store opened on a copy of the fixture.
    private func withPreviousReleaseStore(_ body: (SessionStore) async throws -> Void) async throws {
        let directory = try StoreFixtures.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "store.sqlite").path
        try FileManager.default.copyItem(atPath: Self.fixture.path, toPath: path)
        let store = try SessionStore(location: .file(path), logger: StoreFixtures.logger)
        defer { try? store.close() }
        try await body(store)
    }

    @Test func readsEveryRecordOfAStoreWrittenByThePreviousRelease() async throws {
        try await withPreviousReleaseStore { store in
            let sessions = try await store.listSessions(workspace: .default).items
            #expect(sessions.map(\.name) == ["analysis"])
            let session = try #require(sessions.first)
            #expect(session.state == .paused)
            #expect(session.owner == "admin")
            #expect(session.spec.preset == "notebook" && session.spec.image == "python3")
            #expect(session.spec.environment == [.init(name: "LOG_LEVEL", value: .plain("debug"))])
            #expect(session.spec.labels == ["team": "ml", "stage": "dev"])
            #expect(session.spec.durationLimit == .seconds(8 * 3600))
            #expect(session.spec.homeVolume == .new(sizeBytes: 1 << 30))
            let links = try await store.listDataLinks(workspace: .default).items
            #expect(links.map(\.name) == ["genomes"])
            #expect(session.spec.dataLinks == links.map(\.id))
            #expect(try await store.session(id: session.id, workspace: .default) == session)

            let checkpoints = try await store.checkpoints(session: session.id, workspace: .default)
            #expect(checkpoints.count == 4)
            #expect(checkpoints.contains { $0.name == "first_run" && $0.trigger == .start })
            let events = try await store.events(session: session.id, workspace: .default, pageSize: 100).items
            #expect(events.count >= 10)

            // Every snapshot of the change log, the deleted session's included.
            let changes = try await store.changes(since: 0, limit: 100)
            #expect(changes.count == 15)
            #expect(changes.filter { $0.session == nil }.map(\.kind) == [.deleted], "only a deletion has no snapshot")
            #expect(Set(changes.compactMap { $0.session?.name }) == ["analysis", "scratch"])
            let scratch = try #require(changes.last { $0.session?.name == "scratch" }?.session)
            #expect(scratch.spec.image == "python3-legacy" && scratch.spec.podSize == "medium")
            #expect(changes.contains { $0.session?.connection != nil }, "RUNNING snapshots carry their connection")

            #expect(try await store.role(of: "alice", in: .default) == .launch)
            #expect(try await store.tokens().map(\.caller) == ["alice"])
        }
    }

    @Test func aRecordMissingLaterFieldsReadsWithTheirDefaults() throws {
        let minimal = #"{"preset":"p","image":"i","computeEnvironment":"local"}"#
        let spec = try StoreJSON.decode(SessionSpecRecord.self, from: minimal).spec
        #expect(spec == SessionSpec(preset: "p", image: "i", computeEnvironment: "local"))
        let session = #"""
            {"id":"s-1","workspace":"default","name":"n","state":"RUNNING","createdAt":1,"updatedAt":2,"revision":3,
             "spec":{"preset":"p","image":"i","computeEnvironment":"local"}}
            """#
        let read = try StoreJSON.decode(SessionRecord.self, from: session).session
        #expect(read.state == .running && read.owner == "" && read.connection == nil && read.revision == 3)
    }

    @Test func unknownFieldsAreIgnoredAndUnknownStatesReadAsUnknown() throws {
        let future = #"""
            {"v":1,"preset":"p","image":"i","computeEnvironment":"local","packages":["numpy"],"gpuModel":"a100"}
            """#
        #expect(try StoreJSON.decode(SessionSpecRecord.self, from: future).spec.preset == "p")
        let session = #"""
            {"id":"s-1","workspace":"default","name":"n","state":"HIBERNATING","createdAt":1,"updatedAt":2,
             "revision":3,"spec":{"preset":"p","image":"i","computeEnvironment":"local"}}
            """#
        #expect(try StoreJSON.decode(SessionRecord.self, from: session).session.state == .unknown)
    }

    @Test func aNewerFormatIsRefusedNotMisread() throws {
        let newer = #"{"v":2,"preset":"p","image":"i","computeEnvironment":"local"}"#
        #expect {
            _ = try StoreJSON.decode(SessionSpecRecord.self, from: newer)
        } throws: { error in
            "\(error)".contains("written in format 2 by a newer release")
        }
    }

    @Test func recordsRoundTripEverySpecField() throws {
        var spec = SessionSpec(
            preset: "p", image: "i", podSize: "large", resources: Resources(cpuMillis: 2500, memoryBytes: 1 << 33, gpus: 1),
            computeEnvironment: "hpc", computePool: "gpu",
            environment: [.init(name: "A", value: .plain("1")), .init(name: "K", value: .secret("team-key"))],
            homeVolume: .existing("claim-1"),
            dataVolumes: [.init(source: "datasets", mountPath: "/mnt/d", readOnly: true)], dataLinks: ["d-1"],
            labels: ["a": "b"], durationLimit: .milliseconds(1500))
        spec.inheritsWorkspaceSecrets = false
        spec.configurations = ["proxy"]
        spec.excludedConfigurations = ["conda"]
        let text = try StoreJSON.encode(SessionSpecRecord(spec))
        #expect(try StoreJSON.decode(SessionSpecRecord.self, from: text).spec == spec)
        #expect(text.contains(#""v":1"#))
        #expect(text.contains(#""secret":{"_0":"team-key"}"#), "a secret is stored as its reference")
    }
}
