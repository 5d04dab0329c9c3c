@testable import AWSBatchBackend
import SessionSDK
import Testing

/// The pure mapping from a Batch job's status to a session's canonical state.
@Suite("Batch job status → canonical session state")
struct JobObservationTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var status: String?
        var reason: String = ""
        var exitCode: Int?
        var endpointAnswers = false
        /// Milliseconds the job has existed.
        var age: Double = 1000
        var state: SessionState
        /// What the reason people read must contain.
        var says: String
        var testDescription: String { "\(status ?? "no job") '\(reason)' → \(state)" }
    }

    static let rows: [Row] = [
        Row(status: nil, state: .pending, says: "submitting"),
        Row(status: "SUBMITTED", state: .pending, says: "queued in job queue 'q' (SUBMITTED)"),
        Row(status: "PENDING", state: .pending, says: "queued in job queue 'q' (PENDING)"),
        Row(status: "RUNNABLE", reason: "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - none", state: .pending,
            says: "waiting for capacity in job queue 'q': CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - none"),
        Row(status: "RUNNABLE", state: .pending, says: "waiting for capacity in job queue 'q'"),
        Row(status: "RUNNABLE", reason: "CAPACITY:X", age: 11_000, state: .failed,
            says: "sessiongw: gave up waiting for capacity after 10 s: CAPACITY:X"),
        Row(status: "STARTING", state: .starting, says: "the container is starting"),
        Row(status: "RUNNING", state: .starting, says: "waiting for the session to answer"),
        Row(status: "RUNNING", endpointAnswers: true, state: .running, says: ""),
        Row(status: "RUNNING", reason: JobObservation.pauseReason, endpointAnswers: true, state: .pausing, says: "stopping the job"),
        Row(status: "FAILED", reason: JobObservation.pauseReason, exitCode: 143, state: .paused, says: "paused"),
        Row(status: "SUCCEEDED", reason: JobObservation.pauseReason, exitCode: 0, state: .paused, says: "paused"),
        Row(status: "FAILED", reason: "Job attempt duration exceeded timeout", state: .paused, says: "duration limit"),
        Row(status: "FAILED", reason: "Essential container in task exited", exitCode: 3, state: .failed,
            says: "the job failed: Essential container in task exited (exit code 3)"),
        Row(status: "FAILED", reason: "operator: host retired", exitCode: 143, state: .failed, says: "operator: host retired"),
        Row(status: "FAILED", reason: "sessiongw: gave up waiting for capacity after 5 s: CAPACITY:Y", state: .failed,
            says: "sessiongw: gave up waiting for capacity after 5 s: CAPACITY:Y"),
        Row(status: "FAILED", state: .failed, says: "no reason given"),
        Row(status: "SUCCEEDED", exitCode: 0, state: .failed, says: "exited with status 0"),
    ]

    @Test("each status and reason maps to its state and says why", arguments: rows)
    func maps(_ row: Row) {
        let observation = JobObservation(
            status: row.status, statusReason: row.reason, exitCode: row.exitCode, createdAt: 5_000_000, endpointAnswers: row.endpointAnswers,
            now: 5_000_000 + row.age, runnableTimeout: .seconds(10), queue: "q")
        let (state, reason) = observation.state
        #expect(state == row.state)
        #expect(row.says.isEmpty ? reason.isEmpty : reason.contains(row.says), "\(reason)")
    }

    @Test("a job is RUNNABLE too long only past the limit, and only while RUNNABLE")
    func runnableLimit() {
        var observation = JobObservation(
            status: "RUNNABLE", statusReason: "", exitCode: nil, createdAt: 0, endpointAnswers: false, now: 10_000,
            runnableTimeout: .seconds(10), queue: "q")
        #expect(!observation.runnableTooLong)
        observation.now = 10_001
        #expect(observation.runnableTooLong)
        observation.status = "STARTING"
        #expect(!observation.runnableTooLong)
        #expect(JobObservation.isActive("RUNNABLE") && !JobObservation.isActive("FAILED") && !JobObservation.isActive(nil))
    }
}
