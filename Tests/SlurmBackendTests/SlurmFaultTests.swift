import Foundation
import SessionSDK
import SlurmBackend
import Testing

extension SlurmClusterTests {
    /// What happens outside the gateway: jobs cancelled with scancel, commands that exit
    /// at start, a job that cannot be scheduled yet, slurmctld down, a provider restart.
    @Suite("Slurm backend faults on the real cluster")
    struct SlurmFaultTests {
        /// Polls `describeSession` until `accept` holds or `timeout` passes.
        static func waitFor(
            _ provider: SlurmProvider, _ handle: SessionHandle, timeout: Duration = .seconds(60),
            _ accept: (ProviderSessionStatus) -> Bool
        ) async throws -> ProviderSessionStatus {
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: timeout)
            var last: ProviderSessionStatus?
            while clock.now < deadline {
                if let status = try? await provider.describeSession(handle) {
                    last = status
                    if accept(status) { return status }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("timed out; last status: \(String(describing: last))")
            throw CancellationError()
        }

        /// Calls `body` until it does not throw `UNAVAILABLE`, for up to 30 s.
        static func retryWhileUnavailable<Result>(_ body: () async throws -> Result) async throws -> Result {
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                do {
                    return try await body()
                } catch let error as SessionError where error.code == .unavailable && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(500))
                }
            }
        }

        static func jobID(of handle: SessionHandle, in fixture: SlurmFixture) throws -> String {
            let record = try Data(contentsOf: URL(fileURLWithPath: "\(fixture.directory)/sessions/\(handle.rawValue)/session.json"))
            let json = try JSONSerialization.jsonObject(with: record) as? [String: Any]
            return "\(json?["jobID"] as? Int ?? 0)"
        }

        @Test("scancel from outside: the session leaves RUNNING with the reason within one poll interval")
        func scancelFromOutside() async throws {
            try await SlurmFixture.run { fixture in
                let provider = fixture.provider
                let created = try await Self.retryWhileUnavailable {
                    try await provider.createSession(SlurmFixture.request(SessionID(rawValue: "scancel")))
                }
                let running = try await Self.waitFor(provider, created.handle) { $0.state == .running }
                #expect(running.connection != nil)
                let job = try Self.jobID(of: created.handle, in: fixture)
                #expect(try SlurmTestCluster.run(["scancel", job]).status == 0)
                let clock = ContinuousClock()
                let cancelled = clock.now
                let after = try await Self.waitFor(provider, created.handle, timeout: .seconds(10)) { $0.state != .running }
                #expect(clock.now - cancelled < fixture.configuration.pollInterval + .seconds(2))
                #expect(after.state == .failed)
                let settled = try await Self.waitFor(provider, created.handle, timeout: .seconds(10)) { $0.reason.contains("cancelled outside") }
                #expect(settled.state == .failed, "\(settled.reason)")
            }
        }

        /// slurmrestd v0.0.38 ignores `requeue: false`, so Slurm requeues the job: the
        /// backend reports the node failure, and cancels the requeued job instead of
        /// letting it wait for its begin time and restart behind the gateway's back.
        @Test("a node set DOWN: the session leaves RUNNING with the node failure within one poll interval, and resumes once the node is back")
        func nodeDown() async throws {
            try await SlurmFixture.run { fixture in
                let provider = fixture.provider
                let created = try await Self.retryWhileUnavailable {
                    try await provider.createSession(SlurmFixture.request(SessionID(rawValue: "nodedown")))
                }
                _ = try await Self.waitFor(provider, created.handle) { $0.state == .running }
                let job = try Self.jobID(of: created.handle, in: fixture)
                let failed = try await SlurmTestCluster.withNodeDown(fixture.node, reason: "sessiongw test: node failure") {
                    let clock = ContinuousClock()
                    let down = clock.now
                    let after = try await Self.waitFor(provider, created.handle, timeout: .seconds(10)) { $0.state != .running }
                    #expect(clock.now - down < fixture.configuration.pollInterval + .seconds(2))
                    return after
                }
                #expect(failed.state == .failed, "\(failed.reason)")
                #expect(failed.reason.contains("failed while running job \(job)"), "\(failed.reason)")
                #expect(failed.reason.contains("resume the session"), "\(failed.reason)")
                // Nothing stays stuck: the job is gone, the reason stays, and the session
                // resumes on a new job once the node is back.
                try await Task.sleep(for: .seconds(1))
                #expect(try fixture.liveJobs().filter { !$0.hasSuffix("COMPLETING") } == [])
                let later = try await provider.describeSession(created.handle)
                #expect(later.state == .failed && later.reason.contains("failed while running job \(job)"), "\(later.reason)")
                _ = try await Self.retryWhileUnavailable {
                    try await provider.resumeSession(created.handle, request: SlurmFixture.request(SessionID(rawValue: "nodedown")))
                }
                _ = try await Self.waitFor(provider, created.handle) { $0.state == .running }
                #expect(try Self.jobID(of: created.handle, in: fixture) != job)
            }
        }

        @Test("a command that exits at start: FAILED with its exit code and last log lines")
        func commandExitsAtStart() async throws {
            try await SlurmFixture.run { fixture in
                var request = SlurmFixture.request(SessionID(rawValue: "exits"))
                request.command = ["/bin/sh", "-c", "echo 'cannot open notebook.ipynb' >&2; exit 7"]
                let created = try await Self.retryWhileUnavailable { try await fixture.provider.createSession(request) }
                let failed = try await Self.waitFor(fixture.provider, created.handle) { $0.state == .failed }
                #expect(failed.reason.contains("exited with code 7"), "\(failed.reason)")
                #expect(failed.reason.contains("cannot open notebook.ipynb"), "\(failed.reason)")
            }
        }

        @Test("a command that runs but never serves: STARTING, then FAILED after the readiness timeout with its last log lines; the job is cancelled")
        func readinessTimeout() async throws {
            try await SlurmFixture.run(configure: { $0.readinessTimeout = .seconds(4) }) { fixture in
                let provider = fixture.provider
                var request = SlurmFixture.request(SessionID(rawValue: "silent"))
                request.command = ["/bin/sh", "-c", "echo 'loading a very large kernel' >&2; exec sleep 600"]
                let created = try await Self.retryWhileUnavailable { try await provider.createSession(request) }
                let starting = try await Self.waitFor(provider, created.handle) { $0.state == .starting }
                #expect(starting.reason.contains("waiting for the command to serve"), "\(starting.reason)")
                let failed = try await Self.waitFor(provider, created.handle, timeout: .seconds(30)) { $0.state != .starting }
                #expect(failed.state == .failed)
                #expect(failed.reason.contains("did not accept connections on $SESSION_PORT within 4 s"), "\(failed.reason)")
                #expect(failed.reason.contains("loading a very large kernel"), "\(failed.reason)")
                // The job is cancelled, and the reason stays the readiness one afterwards.
                try await Task.sleep(for: .seconds(3))
                #expect(try fixture.liveJobs().filter { !$0.hasSuffix("COMPLETING") } == [])
                let later = try await provider.describeSession(created.handle)
                #expect(later.state == .failed)
                #expect(later.reason.contains("did not accept connections"), "\(later.reason)")
            }
        }

        @Test("a job that cannot be scheduled yet is PENDING with the queue reason, and runs once resources free up")
        func queueReason() async throws {
            try await SlurmFixture.run { fixture in
                let provider = fixture.provider
                // Partition `tiny` allows one CPU on the node: the first session takes it.
                var first = SlurmFixture.request(SessionID(rawValue: "queue-a"))
                first.computePool = "tiny"
                first.resources = Resources(cpuMillis: 1000, memoryBytes: 128 << 20)
                var second = first
                second.sessionID = SessionID(rawValue: "queue-b")
                second.name = "queue-b"
                let a = try await Self.retryWhileUnavailable { try await provider.createSession(first) }
                _ = try await Self.waitFor(provider, a.handle) { $0.state == .running }
                let b = try await Self.retryWhileUnavailable { try await provider.createSession(second) }
                let pending = try await Self.waitFor(provider, b.handle, timeout: .seconds(20)) {
                    $0.state == .pending && $0.reason.contains("Resources")
                }
                #expect(pending.reason.contains("queued in partition tiny"), "\(pending.reason)")
                _ = try await provider.pauseSession(a.handle)
                _ = try await Self.waitFor(provider, b.handle) { $0.state == .running }
            }
        }

        @Test("pause keeps files, resume brings them back on a new job; delete leaves no job and no directory; walltime shows")
        func pauseResumeDelete() async throws {
            try await SlurmFixture.run { fixture in
                let provider = fixture.provider
                var request = SlurmFixture.request(SessionID(rawValue: "cycle"))
                request.durationLimit = .seconds(300)
                let created = try await Self.retryWhileUnavailable { try await provider.createSession(request) }
                let running = try await Self.waitFor(provider, created.handle) { $0.state == .running }
                let left = try #require(running.timeLeft)
                #expect(left <= .seconds(300) && left > .seconds(200))
                #expect(running.reason.contains("warning: "), "within 10 minutes of the walltime: \(running.reason)")
                let write = try await provider.execute(["/bin/sh", "-c", "echo kept > notes.txt"], in: created.handle)
                #expect(write.exitCode == 0)
                let firstJob = try Self.jobID(of: created.handle, in: fixture)
                _ = try await provider.pauseSession(created.handle)
                _ = try await Self.waitFor(provider, created.handle) { $0.state == .paused }
                #expect(try fixture.liveJobs() == [])
                _ = try await provider.resumeSession(created.handle, request: request)
                _ = try await Self.waitFor(provider, created.handle) { $0.state == .running }
                #expect(try Self.jobID(of: created.handle, in: fixture) != firstJob)
                let read = try await provider.execute(["cat", "notes.txt"], in: created.handle)
                #expect(read.output == "kept\n")
                try await provider.deleteSession(created.handle)
                try await Task.sleep(for: .seconds(1))
                #expect(try fixture.liveJobs().filter { !$0.hasSuffix("COMPLETING") } == [])
                #expect(!FileManager.default.fileExists(atPath: "\(fixture.directory)/sessions/\(created.handle.rawValue)"))
                await #expect(throws: SessionError.self) { try await provider.describeSession(created.handle) }
            }
        }

        @Test("slurmctld stopped for 30 s: calls are UNAVAILABLE, nothing is lost, the session reconciles when it is back")
        func controllerOutage() async throws {
            try await SlurmFixture.run { fixture in
                let provider = fixture.provider
                let created = try await Self.retryWhileUnavailable {
                    try await provider.createSession(SlurmFixture.request(SessionID(rawValue: "outage")))
                }
                let before = try await Self.waitFor(provider, created.handle) { $0.state == .running }
                let job = try Self.jobID(of: created.handle, in: fixture)
                let late = SlurmFixture.request(SessionID(rawValue: "late"))
                try SlurmTestCluster.script("controller-stop")
                do {
                    try await Task.sleep(for: .seconds(1))
                    let error = await #expect(throws: SessionError.self) { try await provider.describeSession(created.handle) }
                    #expect(error?.code == .unavailable, "\(String(describing: error))")
                    let listError = await #expect(throws: SessionError.self) { try await provider.listSessions() }
                    #expect(listError?.code == .unavailable)
                    let createError = await #expect(throws: SessionError.self) { try await provider.createSession(late) }
                    #expect(createError?.code == .unavailable)
                    try await Task.sleep(for: .seconds(28))
                } catch {
                    try SlurmTestCluster.script("controller-start")
                    throw error
                }
                try SlurmTestCluster.script("controller-start")
                // Nothing is lost: the same job serves at the same address.
                let back = try await Self.waitFor(provider, created.handle, timeout: .seconds(30)) { $0.state == .running }
                #expect(back.connection == before.connection)
                #expect(try Self.jobID(of: created.handle, in: fixture) == job)
                // The create refused during the outage succeeds when called again, as the
                // gateway does while it is UNAVAILABLE (Slurm refuses jobs until slurmd has
                // registered again): its job is queued. (Slurm starts it at its next
                // scheduling pass, up to 30 s later; not waited for here.)
                let retried = try await Self.retryWhileUnavailable { try await provider.createSession(late) }
                #expect([.pending, .starting, .running].contains(retried.state), "\(retried.reason)")
                let jobs = try fixture.liveJobs()
                #expect(jobs.contains { $0.contains("-late ") }, "\(jobs)")
                // A restarted provider recovers the same session from its handle.
                let recovered = try await fixture.restartedProvider().recoverSession(created.handle)
                #expect(recovered.state == .running)
                #expect(recovered.connection == before.connection)
            }
        }

        @Test("a job of this backend owned by no session is cancelled when sessions are listed; a look-alike of another environment is not")
        func orphanJobsCancelled() async throws {
            try await SlurmFixture.run { fixture in
                let name = "\(fixture.configuration.jobNamePrefix)-orphan"
                // Another environment with the same job names (another shared directory).
                var neighbour = fixture.configuration
                neighbour.sharedDirectory += "-neighbour"
                let neighbourOwner = try SlurmFixture.makeProvider(neighbour).jobOwner
                #expect(neighbourOwner != fixture.provider.jobOwner)
                for owner in [fixture.provider.jobOwner, neighbourOwner] {
                    let submitted = try SlurmTestCluster.run([
                        "sbatch", "--parsable", "--job-name", name, "--comment", "sessiongw session=orphan owner=\(owner)",
                        "--output", "/dev/null", "--wrap", "sleep 300",
                    ])
                    #expect(submitted.status == 0, "\(submitted.output)")
                }
                try await Task.sleep(for: .milliseconds(500))
                #expect(try fixture.liveJobs().count == 2)
                _ = try await fixture.provider.listSessions()
                try await Task.sleep(for: .seconds(1))
                #expect(try fixture.liveJobs().filter { !$0.hasSuffix("COMPLETING") }.count == 1)
            }
        }
    }
}
