@testable import AWSBatchBackend
import Foundation
import RPCTransport
import SessionAPI
import SessionGateway
import SessionSDK
import SessionTestSupport
import Testing

/// Homes on EFS have no size, so writes never fail for space: the agent measures what a
/// home holds, and the gateway enforces the compute environment's disk limit from that
/// measure (ELASTIC_HOME). Scaled down: homes start at 8 MiB, grow by 8 MiB when less
/// than 4 MiB is left, within 24 MiB for the environment.
@Suite("AWS Batch elastic homes: the disk limit enforced from measured usage, on moto")
struct AWSBatchElasticHomeTests {
    static let mebibyte: Int64 = 1 << 20

    @Test("the share grows as the home fills, sessions share the limit, a home over it is paused after the grace period, and a resume reclaims")
    func enforcesLimitFromMeasuredUsage() async throws {
        try await AWSBatchGatewayFixture.run(configure: { configuration in
            configuration.storage.initialBytes = 8 * Self.mebibyte
            configuration.storage.stepBytes = 8 * Self.mebibyte
            configuration.storage.minimumFreeBytes = 4 * Self.mebibyte
            configuration.storage.elasticGrace = .seconds(6)
            configuration.utilizationInterval = .seconds(1)
            configuration.environments[0].environment.diskLimitBytes = 24 * Self.mebibyte
        }) { fixture, moto in
            let created = try await fixture.sessions.createSession(V1CreateSessionRequest(
                name: "elastic", spec: Self.spec(homeBytes: 1 << 30)))
            let started = try await fixture.wait(created.id) { $0.state == .running || $0.state == .failed }
            try #require(started.session.state == .running, "\(started.session.stateReason)")
            #expect(Self.homeBytes(started.session) == 8 * Self.mebibyte, "a new home's share starts at storage.initial")
            let home = "\(moto.efsRoot)/\(moto.fileSystemID)\(SessionNames(sessionID: SessionID(rawValue: created.id)).rootDirectory)"

            // Filling: the share grows a step at a time as the agent measures the files.
            try Self.write(6, to: home + "/a.bin")
            _ = try await fixture.wait(created.id, timeout: .seconds(30)) { Self.homeBytes($0) == 16 * Self.mebibyte }
            try Self.write(8, to: home + "/b.bin")
            _ = try await fixture.wait(created.id, timeout: .seconds(30)) { Self.homeBytes($0) == 24 * Self.mebibyte }
            let grown = try await Self.messages(fixture, created.id, containing: "the home grew")
            #expect(grown.count == 2 && grown[0].contains("from 8 MiB to 16 MiB") && grown[1].contains("from 16 MiB to 24 MiB"), "\(grown)")

            // The environment's limit is shared: nothing is left for a second session.
            let refused = await #expect(throws: RPCError.self) {
                _ = try await fixture.sessions.createSession(V1CreateSessionRequest(name: "second", spec: Self.spec(homeBytes: 1 << 30)))
            }
            #expect(refused?.code == .resourceExhausted, "\(String(describing: refused))")

            // At the limit: writes do not fail (EFS), the activity log says what happens.
            try Self.write(8, to: home + "/c.bin")
            #expect(try await eventually(timeout: .seconds(30)) {
                try await !Self.messages(fixture, created.id, containing: "cannot grow past 24 MiB").isEmpty
            })
            // Over the limit: paused once the grace period is over.
            try Self.write(6, to: home + "/d.bin")
            let warned = try await eventually(timeout: .seconds(30)) {
                try await !Self.messages(fixture, created.id, containing: "is paused if it still holds more in 6s").isEmpty
            }
            #expect(warned)
            #expect(try await fixture.get(created.id).state == .running, "the grace period: time to delete files")
            _ = try await fixture.wait(created.id, timeout: .seconds(60)) { $0.state == .paused }
            let enforced = try await Self.messages(fixture, created.id, containing: "the gateway enforces the limit by pausing")
            #expect(enforced.count == 1 && enforced[0].contains("more than the 24 MiB it may hold") && enforced[0].contains("elastic"), "\(enforced)")

            // Resumed, the user deletes files within the grace period: the session runs on.
            try await fixture.resume(created.id)
            let resumed = try await fixture.wait(created.id) { $0.state == .running || $0.state == .failed }
            try #require(resumed.session.state == .running, "\(resumed.session.stateReason)")
            for name in ["c.bin", "d.bin"] { try FileManager.default.removeItem(atPath: home + "/" + name) }
            try await Task.sleep(for: .seconds(10))
            #expect(try await fixture.get(created.id).state == .running)
            #expect(try await Self.messages(fixture, created.id, containing: "the gateway enforces the limit by pausing").count == 1)

            // Pause and resume reclaim: the share starts again at what the home holds plus 8 MiB.
            try await fixture.pause(created.id)
            _ = try await fixture.wait(created.id) { $0.state == .paused }
            try await fixture.resume(created.id)
            let reclaimed = try await fixture.wait(created.id) { $0.state == .running || $0.state == .failed }
            let share = try #require(Self.homeBytes(reclaimed.session))
            #expect(share > 22 * Self.mebibyte && share < 23 * Self.mebibyte, "14 MiB held + 8 MiB free, not 24 MiB: \(share)")
            #expect(try await !Self.messages(fixture, created.id, containing: "the home starts again at").isEmpty)

            try await fixture.delete(created.id)
            try await fixture.waitUntilGone(created.id)
        }
    }

    /// A session of the preset on the `aws` environment whose agent samples every second.
    static func spec(homeBytes: Int64) -> V1SessionSpec {
        V1SessionSpec(
            preset: "terminal", image: "python", computeEnvironment: "aws",
            env: [V1EnvVar(name: "SESSIONGW_SAMPLE_INTERVAL", source: .value("1"))],
            homeVolume: V1HomeVolume(source: .newSizeBytes(homeBytes)))
    }

    /// The messages of the session's activity log that contain `text`.
    static func messages(_ fixture: InProcessGateway, _ id: String, containing text: String) async throws -> [String] {
        try await fixture.events(id).map(\.message).filter { $0.contains(text) }
    }

    /// The share of the limit the gateway records for the session's home.
    static func homeBytes(_ session: V1Session) -> Int64? {
        guard case .newSizeBytes(let bytes) = session.spec?.homeVolume?.source else { return nil }
        return bytes
    }

    /// Writes `mebibytes` of random data to `path`, as the session would.
    static func write(_ mebibytes: Int, to path: String) throws {
        var generator = SystemRandomNumberGenerator()
        let words = (0..<mebibytes << 17).map { _ in generator.next() as UInt64 }
        try words.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: path))
    }
}
