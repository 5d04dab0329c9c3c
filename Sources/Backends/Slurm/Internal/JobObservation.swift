import SessionSDK

/// What the Slurm backend saw of one session, and the canonical status that follows.
/// A value with no I/O: the provider gathers the facts, this decides. The table is in
/// the backend's README.
struct JobObservation: Sendable {
    /// The stored record.
    var record: SessionRecord
    /// The current job as slurmctld lists it; nil when it is not listed.
    var job: SlurmJob?
    /// Whether the listing was requested before the job was submitted (so its absence
    /// means nothing).
    var listingPredatesJob: Bool
    /// Whether an operation on the session holds its lock (submitting, cancelling).
    var busy: Bool
    /// What the job reported once its command served.
    var connection: ReportedConnection?
    /// The command's exit status, from the job's exit file.
    var exitStatus: Int?
    /// The last lines of the job's log (filled in for failures).
    var logTail: String
    /// The job's log file.
    var logPath: String
    /// Seconds since the Unix epoch, now.
    var now: Double
    /// How long before the walltime ends the status warns, in seconds.
    var walltimeWarning: Double
    /// How long a running job's command may take to serve, in seconds from the job's
    /// start.
    var readinessTimeout: Double

    /// The status to report.
    func status(handle: SessionHandle) -> ProviderSessionStatus {
        let (state, reason) = stateAndReason
        var status = ProviderSessionStatus(sessionID: SessionID(rawValue: record.sessionID), handle: handle, state: state, reason: reason)
        if state == .running, let connection {
            let host = connection.host.contains(":") ? "[\(connection.host)]" : connection.host
            status.connection = Session.Connection(
                url: "http://\(host):\(connection.port)\(record.basePath ?? "/")?token=\(connection.token)", accessToken: connection.token,
                agentAddress: connection.agentPort.map { "\(host):\($0)" })
        }
        if let left = timeLeft, state == .running || state == .starting || state == .pending {
            status.timeLeft = .milliseconds(Int64(left * 1000))
            if state != .pending, left <= walltimeWarning {
                status.reason += "; warning: \(Int((left / 60).rounded(.up))) min of walltime left, the session will be paused when it runs out"
            }
        }
        return status
    }

    /// Seconds until the walltime ends: from the job's end time while it runs, the whole
    /// limit while it waits.
    var timeLeft: Double? {
        guard let job, let limit = job.timeLimitMinutes else { return nil }
        if job.state == "RUNNING", job.endTime > 0 { return max(0, job.endTime - now) }
        if job.state == "PENDING" { return Double(limit * 60) }
        return nil
    }

    /// Whether Slurm requeued the current job (or it was requeued before and is not
    /// over yet): its node failed, or an administrator requeued it. slurmrestd
    /// v0.0.38 ignores `requeue: false`, so instead of waiting in the queue for its
    /// begin time (about two minutes) and then reusing the first run's connection
    /// report, the job is recorded as lost and cancelled by the provider.
    var jobWasRequeued: Bool {
        guard record.goal == .running, let job, job.id == record.jobID, !job.isTerminal else { return false }
        return record.requeuedJob?.jobID == job.id || job.restartCount > 0
    }

    /// Whether the current job runs but its command has not served within the
    /// readiness timeout (or was already given up on): the provider records that and
    /// cancels the job.
    var jobMissedReadiness: Bool {
        guard record.goal == .running, let job, job.id == record.jobID, job.state == "RUNNING",
              connection?.job != job.id
        else { return false }
        if record.readinessFailure?.jobID == job.id { return true }
        return job.startTime > 0 && now - job.startTime > readinessTimeout
    }

    private var stateAndReason: (SessionState, String) {
        switch record.goal {
        case .paused:
            if let job, !job.isTerminal {
                return (.pausing, "cancelling job \(job.id) (\(job.state)); the home is kept")
            }
            return (.paused, "compute released; the home is kept")
        case .running:
            guard let jobID = record.jobID else {
                return busy
                    ? (.pending, "submitting the job to Slurm")
                    : (.failed, "the job was never submitted (the operation was interrupted); resume the session to submit it")
            }
            if let requeued = record.requeuedJob, requeued.jobID == jobID {
                return (.failed, Self.requeuedReason(jobID: jobID, node: requeued.node))
            }
            if jobWasRequeued {
                return (.failed, Self.requeuedReason(jobID: jobID, node: connection?.job == jobID ? connection?.host ?? "" : ""))
            }
            if record.readinessFailure?.jobID == jobID || jobMissedReadiness {
                return (.failed, "the command did not accept connections on $SESSION_PORT within \(Int(readinessTimeout)) s "
                    + "of job \(jobID) starting; the job is cancelled to release its compute" + logSuffix)
            }
            guard let job else {
                if listingPredatesJob || busy { return (.pending, "job \(jobID) submitted; waiting for slurmctld to list it") }
                if let ended = record.endedJob, ended.jobID == jobID {
                    return endedStatus(state: ended.state, reason: ended.reason, waitStatus: ended.waitStatus, nodes: ended.nodes, jobID: jobID)
                }
                return (.failed, "job \(jobID) is no longer known to slurmctld (it ended long ago or was removed outside the gateway)"
                    + exitSuffix + logSuffix)
            }
            switch job.state {
            case "PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "SPECIAL_EXIT":
                return (.pending, "queued in partition \(job.partition): \(Self.explain(pendingReason: job.reason, description: job.reasonDescription))")
            case "CONFIGURING", "POWER_UP_NODE":
                return (.pending, "job \(job.id): node \(job.nodes) is being configured")
            case "SUSPENDED":
                return (.pending, "job \(job.id) is suspended by an administrator")
            case "RUNNING":
                if let connection, connection.job == job.id {
                    return (.running, "job \(job.id) serving on \(connection.host):\(connection.port)")
                }
                return (.starting, "job \(job.id) runs on \(job.nodes); waiting for the command to serve on $SESSION_PORT")
            case "COMPLETING":
                return (.failed, "job \(job.id) is ending on \(job.nodes)" + exitSuffix + logSuffix)
            default:
                return endedStatus(state: job.state, reason: job.reason, waitStatus: job.waitStatus, nodes: job.nodes, jobID: job.id)
            }
        }
    }

    /// Why a job that should run is over.
    private func endedStatus(state: String, reason: String, waitStatus: Int?, nodes: String, jobID: Int) -> (SessionState, String) {
        let job = SlurmJob(
            id: jobID, name: "", comment: "", state: state, reason: reason, reasonDescription: "", waitStatus: waitStatus,
            partition: "", nodes: nodes, startTime: 0, endTime: 0, timeLimitMinutes: nil)
        let code = exitStatus ?? job.exitCode
        let what: String
        switch state {
        case "CANCELLED":
            what = "job \(jobID) was cancelled outside the gateway (scancel or an administrator)"
        case "COMPLETED":
            what = "the session's command exited with code \(code ?? 0) (job \(jobID)); it must keep serving"
        case "FAILED":
            what = "the session's command exited with code \(code.map(String.init) ?? "unknown") (job \(jobID), \(reason))"
        case "TIMEOUT", "DEADLINE":
            what = "job \(jobID) reached its walltime and was stopped by Slurm"
        case "NODE_FAIL":
            what = "node \(nodes) failed while running job \(jobID) (\(reason): it stopped responding or was set DOWN); resume the session to run it again"
        case "BOOT_FAIL":
            what = "node \(nodes) failed to boot for job \(jobID)"
        case "PREEMPTED":
            what = "job \(jobID) was preempted by a higher-priority job"
        case "OUT_OF_MEMORY":
            what = "job \(jobID) ran out of memory"
        default:
            return (.unknown, "job \(jobID) is in Slurm state \(state) (\(reason))")
        }
        return (.failed, what + logSuffix)
    }

    /// Why a session whose job Slurm requeued is FAILED.
    static func requeuedReason(jobID: Int, node: String) -> String {
        (node.isEmpty ? "the node of job \(jobID) failed" : "node \(node) failed while running job \(jobID)")
            + " (or an administrator requeued the job): Slurm requeued it, and the backend cancelled it to release its place; "
            + "resume the session to run it again"
    }

    private var exitSuffix: String {
        exitStatus.map { "; the command exited with code \($0)" } ?? ""
    }

    private var logSuffix: String {
        logTail.isEmpty ? "" : "; last output (\(logPath)):\n\(logTail)"
    }

    /// A pending reason in words people act on: Slurm's own description when it gives
    /// one (it does when the reason's usual meaning does not apply, such as `Resources`
    /// while the nodes a job needs are DOWN), else a fixed explanation.
    static func explain(pendingReason reason: String, description: String = "") -> String {
        if !description.isEmpty { return "\(reason) — \(description)" }
        let text: String? = switch reason {
        case "Resources": "waiting for resources (CPUs, memory or GPUs) to become free"
        case "Priority": "other jobs have higher priority"
        case "None", "": "waiting for the scheduler"
        case "BeginTime": "its start time has not been reached"
        case "Dependency": "waiting for another job"
        case "JobHeldAdmin": "held by an administrator"
        case "JobHeldUser": "held by its user"
        case "PartitionDown", "PartitionInactive": "the partition is down"
        case "ReqNodeNotAvail": "the nodes it needs are unavailable (down, drained or reserved)"
        case "NodeDown": "a node it needs is down"
        case "PartitionNodeLimit", "PartitionTimeLimit": "it exceeds the partition's limits"
        case "QOSMaxCpuPerUserLimit", "AssocGrpCpuLimit", "AssocMaxJobsLimit", "QOSMaxJobsPerUserLimit": "a usage limit is reached"
        default: nil
        }
        return text.map { "\(reason) — \($0)" } ?? reason
    }
}
