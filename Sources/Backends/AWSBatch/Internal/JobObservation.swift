import SessionSDK

/// How one session job's Batch status maps to a canonical state: a pure function of
/// what DescribeJobs or ListJobs said, whether the session's endpoint answers, and the
/// time, so it is tested without AWS.
///
/// | Batch status | status reason | canonical state |
/// |---|---|---|
/// | (no job yet) | — | PENDING |
/// | SUBMITTED, PENDING | — | PENDING ("queued") |
/// | RUNNABLE | capacity reason | PENDING with the reason; FAILED once RUNNABLE longer than `runnableTimeout` |
/// | STARTING | — | STARTING |
/// | RUNNING | endpoint not answering yet | STARTING |
/// | RUNNING | endpoint answers | RUNNING |
/// | RUNNING, STARTING, ... | `sessiongw: paused` (TerminateJob sent) | PAUSING |
/// | FAILED, SUCCEEDED | `sessiongw: paused` | PAUSED |
/// | FAILED | `Job attempt duration exceeded timeout` | PAUSED (duration limit reached) |
/// | FAILED | `sessiongw: gave up waiting for capacity ...` | FAILED with that reason |
/// | FAILED | anything else | FAILED with the reason and exit code |
/// | SUCCEEDED | — | FAILED ("the session's command exited with status 0") |
struct JobObservation: Sendable {
    /// The reason the backend gives TerminateJob when the user pauses.
    static let pauseReason = "sessiongw: paused by the user"
    /// The reason for TerminateJob on delete.
    static let deleteReason = "sessiongw: session deleted"
    /// The prefix of the reason when the backend gave up waiting for capacity.
    static let capacityReason = "sessiongw: gave up waiting for capacity"
    /// Batch's reason for a job that ran past its timeout.
    static let timeoutReason = "Job attempt duration exceeded timeout"

    /// The job's status (`SUBMITTED` ... `FAILED`), nil when no job was submitted yet.
    var status: String?
    /// Its status reason.
    var statusReason: String
    /// The container's exit code, when it stopped.
    var exitCode: Int?
    /// When it was created, in milliseconds since the epoch.
    var createdAt: Double?
    /// Whether the session's endpoint accepts connections.
    var endpointAnswers: Bool
    /// Now, in milliseconds since the epoch.
    var now: Double
    /// How long a job may stay RUNNABLE.
    var runnableTimeout: Duration
    /// The queue, for messages.
    var queue: String

    /// Whether the job still holds or waits for compute.
    static func isActive(_ status: String?) -> Bool {
        ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING"].contains(status ?? "")
    }

    /// Whether a RUNNABLE job has waited longer than allowed.
    var runnableTooLong: Bool {
        guard status == "RUNNABLE", let createdAt else { return false }
        return now - createdAt > Double(runnableTimeout.components.seconds) * 1000
    }

    /// The canonical state and the reason people read.
    var state: (SessionState, String) {
        let reason = statusReason
        let exit = exitCode.map { " (exit code \($0))" } ?? ""
        if reason.hasPrefix(Self.pauseReason) {
            return Self.isActive(status) ? (.pausing, "stopping the job") : (.paused, "paused; the home is kept on EFS")
        }
        switch status {
        case nil:
            return (.pending, "submitting the job")
        case "SUBMITTED", "PENDING":
            return (.pending, "queued in job queue '\(queue)' (\(status!))")
        case "RUNNABLE":
            if runnableTooLong {
                return (.failed, "\(Self.capacityReason) after \(runnableTimeout.components.seconds) s" + (reason.isEmpty ? "" : ": \(reason)"))
            }
            return (.pending, reason.isEmpty ? "waiting for capacity in job queue '\(queue)'" : "waiting for capacity in job queue '\(queue)': \(reason)")
        case "STARTING":
            return (.starting, "the container is starting")
        case "RUNNING":
            return endpointAnswers ? (.running, "") : (.starting, "waiting for the session to answer on its port")
        case "SUCCEEDED":
            return (.failed, "the session's command exited with status 0; resume to start it again")
        default:
            if reason.hasPrefix(Self.timeoutReason) { return (.paused, "the session's duration limit was reached") }
            if reason.hasPrefix(Self.deleteReason) { return (.deleting, "the session is being deleted") }
            if reason.hasPrefix(Self.capacityReason) { return (.failed, reason) }
            return (.failed, "the job failed: " + (reason.isEmpty ? "no reason given" : reason) + exit)
        }
    }
}
