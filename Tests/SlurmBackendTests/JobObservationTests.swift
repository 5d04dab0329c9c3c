import SessionSDK
@testable import SlurmBackend
import Testing

/// The state mapping, without I/O: what a session's status is for what Slurm and the
/// job's files say.
@Suite("Slurm state mapping")
struct JobObservationTests {
    static let now = 1_000_000.0

    static func observation(
        goal: SessionRecord.Goal = .running, state: String?, reason: String = "None", description: String = "", startedAgo: Double = 10,
        connected: Bool = false, readinessFailure: Bool = false, restarts: Int = 0, basePath: String? = nil
    ) -> JobObservation {
        let record = SessionRecord(
            sessionID: "s1", goal: goal, jobID: 42, submittedAt: now - 60, home: "/shared/sessions/s1/home", ownsHome: true,
            mounts: [], createdAt: now - 60, basePath: basePath, endedJob: nil,
            readinessFailure: readinessFailure ? .init(jobID: 42, detectedAt: now - 1) : nil)
        let job = state.map {
            SlurmJob(
                id: 42, name: "sessiongw-s1", comment: "", state: $0, reason: reason, reasonDescription: description, waitStatus: nil,
                partition: "tiny", nodes: $0 == "PENDING" ? "" : "node1", startTime: $0 == "PENDING" ? 0 : now - startedAgo,
                endTime: $0 == "PENDING" ? 0 : now - startedAgo + 3600, timeLimitMinutes: 60, restartCount: restarts)
        }
        return JobObservation(
            record: record, job: job, listingPredatesJob: false, busy: false,
            connection: connected ? ReportedConnection(job: 42, host: "node1", port: 20001, token: "t") : nil,
            exitStatus: nil, logTail: "", logPath: "/shared/sessions/s1/job-42.log", now: now, walltimeWarning: 600,
            readinessTimeout: 120)
    }

    @Test(
        "state and reason for each case",
        arguments: [
            (observation(state: "PENDING", reason: "Resources"), SessionState.pending, "queued in partition tiny: Resources — waiting for resources"),
            (observation(state: "PENDING", reason: "Priority"), .pending, "Priority — other jobs have higher priority"),
            (
                observation(state: "PENDING", reason: "Resources", description: "Nodes required for job are DOWN, DRAINED or reserved"),
                .pending, "queued in partition tiny: Resources — Nodes required for job are DOWN"
            ),
            (observation(state: "RUNNING"), .starting, "waiting for the command to serve"),
            (observation(state: "RUNNING", connected: true), .running, "serving on node1:20001"),
            (observation(state: "RUNNING", startedAgo: 121), .failed, "did not accept connections on $SESSION_PORT within 120 s"),
            (observation(state: "RUNNING", startedAgo: 121, connected: true), .running, "serving on node1:20001"),
            (observation(state: "CANCELLED", readinessFailure: true), .failed, "did not accept connections"),
            (observation(state: nil, readinessFailure: true), .failed, "did not accept connections"),
            (observation(state: "CANCELLED"), .failed, "cancelled outside the gateway"),
            (observation(state: "TIMEOUT"), .failed, "reached its walltime"),
            (observation(state: "NODE_FAIL", reason: "NodeDown"), .failed, "node node1 failed while running job 42 (NodeDown"),
            // Requeued after a node failure (slurmrestd v0.0.38 ignores requeue: false):
            // lost, not queued, and never RUNNING on the first run's connection report.
            (observation(state: "PENDING", reason: "BeginTime", connected: true, restarts: 1), .failed,
             "node node1 failed while running job 42 (or an administrator requeued the job): Slurm requeued it"),
            (observation(state: "PENDING", reason: "None", restarts: 1), .failed, "the node of job 42 failed"),
            (observation(state: "RUNNING", connected: true, restarts: 1), .failed, "Slurm requeued it"),
            (observation(goal: .paused, state: "RUNNING"), .pausing, "cancelling job 42"),
            (observation(goal: .paused, state: "CANCELLED"), .paused, "compute released"),
        ])
    func mapping(_ observation: JobObservation, state: SessionState, reason: String) {
        let status = observation.status(handle: SessionHandle(rawValue: "s1"))
        #expect(status.state == state, "\(status.reason)")
        #expect(status.reason.contains(reason), "\(status.reason)")
        #expect((status.connection != nil) == (state == .running))
    }

    @Test("the connection URL is at the IDE's base path")
    func connectionPath() {
        let root = Self.observation(state: "RUNNING", connected: true).status(handle: SessionHandle(rawValue: "s1"))
        #expect(root.connection?.url == "http://node1:20001/?token=t")
        let below = Self.observation(state: "RUNNING", connected: true, basePath: "/sessions/default/s1/")
            .status(handle: SessionHandle(rawValue: "s1"))
        #expect(below.connection?.url == "http://node1:20001/sessions/default/s1/?token=t")
    }

    @Test("only a running job that has not served within the timeout is to be cancelled")
    func missedReadiness() {
        #expect(!Self.observation(state: "RUNNING", startedAgo: 119).jobMissedReadiness)
        #expect(Self.observation(state: "RUNNING", startedAgo: 121).jobMissedReadiness)
        #expect(!Self.observation(state: "RUNNING", startedAgo: 121, connected: true).jobMissedReadiness)
        #expect(!Self.observation(state: "PENDING", startedAgo: 1000).jobMissedReadiness)
        #expect(!Self.observation(goal: .paused, state: "RUNNING", startedAgo: 1000).jobMissedReadiness)
        #expect(Self.observation(state: "RUNNING", startedAgo: 1, readinessFailure: true).jobMissedReadiness)
    }

    @Test("a requeued job is to be cancelled until it is over; once recorded, the reason stays after it is gone")
    func requeued() {
        #expect(Self.observation(state: "PENDING", restarts: 1).jobWasRequeued)
        #expect(Self.observation(state: "RUNNING", connected: true, restarts: 2).jobWasRequeued)
        #expect(!Self.observation(state: "CANCELLED", restarts: 1).jobWasRequeued)
        #expect(!Self.observation(state: "RUNNING", connected: true).jobWasRequeued)
        #expect(!Self.observation(goal: .paused, state: "PENDING", restarts: 1).jobWasRequeued)
        var gone = Self.observation(state: nil)
        gone.record.requeuedJob = .init(jobID: 42, node: "node1", detectedAt: Self.now - 1)
        let status = gone.status(handle: SessionHandle(rawValue: "s1"))
        #expect(status.state == .failed)
        #expect(status.reason.hasPrefix("node node1 failed while running job 42"), "\(status.reason)")
    }

    @Test("time left comes from the job's end while it runs and is its whole limit while it waits")
    func timeLeft() {
        let running = Self.observation(state: "RUNNING", startedAgo: 600, connected: true).status(handle: SessionHandle(rawValue: "s1"))
        #expect(running.timeLeft == .seconds(3000))
        let pending = Self.observation(state: "PENDING").status(handle: SessionHandle(rawValue: "s1"))
        #expect(pending.timeLeft == .seconds(3600))
    }
}
