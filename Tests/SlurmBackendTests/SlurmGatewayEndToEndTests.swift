import Foundation
import RPCTransport
import SessionAPI
import SessionSDK
import SessionTestSupport
import Testing

extension SlurmClusterTests {
    /// The Slurm backend behind a whole gateway, called over gRPC: sessions from a preset
    /// are Slurm jobs on the real cluster.
    @Suite("Slurm backend through the gateway")
    struct SlurmGatewayEndToEndTests {
        @Test("create → queue reason → RUNNING once serving → pause → resume with files → gateway restart → delete, leaving nothing")
        func lifecycle() async throws {
            try await SlurmGatewayFixture.run { fixture in
                let (id, notes, url) = try await fixture.serve { gateway in
                    // Partition `tiny` has one CPU: the first session takes it.
                    let created = try await gateway.create("analysis", pool: "tiny")
                    #expect(created.state == .pending)
                    let started = try await gateway.wait(created.id) { $0.state == .running || $0.state == .failed }
                    #expect(started.session.state == .running, "\(started.session.stateReason)")
                    #expect(started.states.contains(.starting), "RUNNING only after STARTING: \(started.states)")
                    #expect(started.states.last == .running)
                    // RUNNING means its command serves: the IDE answers at once.
                    let notes = try await gateway.fetch("notes.txt", of: created.id)
                    #expect(notes.hasPrefix("first started "), "\(notes)")
                    let home = "\(fixture.sharedDirectory)/sessions/\(created.id)/home"
                    #expect(try String(contentsOfFile: "\(home)/notes.txt", encoding: .utf8) == notes, "the home is on the shared filesystem")
                    #expect(try fixture.liveJobs().count == 1)

                    // The second cannot be scheduled while the first holds the CPU: PENDING with the reason.
                    let queued = try await gateway.create("queued", pool: "tiny")
                    let pending = try await gateway.wait(queued.id, timeout: .seconds(20)) {
                        $0.stateReason.contains("Resources")
                    }
                    #expect(pending.session.state == .pending)
                    #expect(pending.session.stateReason.hasPrefix("queued in partition tiny: Resources — "), "\(pending.session.stateReason)")
                    try await gateway.delete(queued.id)
                    try await gateway.waitUntilGone(queued.id)

                    // Pause releases the job and keeps the home; resume is a new job on the same home.
                    try await gateway.pause(created.id)
                    _ = try await gateway.wait(created.id) { $0.state == .paused }
                    #expect(try await Self.waitForNoJobs(fixture), "no job is left while paused")
                    try await gateway.resume(created.id)
                    let resumed = try await gateway.wait(created.id) { $0.state == .running || $0.state == .failed }
                    #expect(resumed.session.state == .running, "\(resumed.session.stateReason)")
                    #expect(try await gateway.fetch("notes.txt", of: created.id) == notes, "the home is kept")
                    return (created.id, notes, resumed.session.connectionURL)
                }

                // A new gateway on the same store recovers the session from its handle: the
                // same job, still serving.
                try await fixture.serve { gateway in
                    let recovered = try await gateway.wait(id, timeout: .seconds(20)) { $0.state == .running }
                    #expect(URLComponents(string: recovered.session.connectionURL)?.path == URLComponents(string: url)?.path)
                    #expect(try await gateway.fetch("notes.txt", of: id) == notes)

                    try await gateway.delete(id)
                    try await gateway.waitUntilGone(id)
                }
                #expect(try await Self.waitForNoJobs(fixture), "no job is left after delete")
                // The gateway removes the session from its store first, then its checkpoints.
                #expect(try await Self.waitForEmpty("\(fixture.sharedDirectory)/sessions"), "no session directory is left")
                #expect(try await Self.waitForEmpty("\(fixture.sharedDirectory)/checkpoints"), "no checkpoint is left")
            }
        }

        @Test("terminals: the agent runs in the job, scrollback, exclusive attach, pause and resume, delete")
        func terminals() async throws {
            try await SlurmGatewayFixture.run { fixture in
                try await fixture.serve { gateway in
                    let created = try await gateway.create("terminals")
                    let started = try await gateway.wait(created.id, timeout: .seconds(120)) { $0.state == .running || $0.state == .failed }
                    #expect(started.session.state == .running, "\(started.session.stateReason)")
                    try await TerminalScenario.run(gateway, session: created.id)
                    try await gateway.delete(created.id)
                    try await gateway.waitUntilGone(created.id, timeout: .seconds(120))
                }
                #expect(try await Self.waitForNoJobs(fixture))
            }
        }

        /// Whether `directory` is empty, allowing 10 s for what a deletion still removes.
        static func waitForEmpty(_ directory: String) async throws -> Bool {
            for _ in 0..<40 {
                if try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty { return true }
                try await Task.sleep(for: .milliseconds(250))
            }
            Issue.record("left in \(directory): \(try FileManager.default.contentsOfDirectory(atPath: directory))")
            return false
        }

        /// Whether Slurm has no job of the fixture left, allowing 15 s for cancelled jobs
        /// to finish completing.
        static func waitForNoJobs(_ fixture: SlurmGatewayFixture) async throws -> Bool {
            for _ in 0..<60 {
                if try fixture.liveJobs().isEmpty { return true }
                try await Task.sleep(for: .milliseconds(250))
            }
            Issue.record("jobs left: \(try fixture.liveJobs())")
            return false
        }
    }
}
