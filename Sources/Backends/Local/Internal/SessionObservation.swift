import SessionSDK

/// What the Local backend saw of one session, and the canonical status that follows
/// from it. A value with no I/O: the provider gathers the facts, this decides.
///
/// | goal | processes | port | state |
/// |---|---|---|---|
/// | paused | running | – | PAUSING (stop in progress) |
/// | paused | gone | – | PAUSED |
/// | running | not launched yet | – | PENDING while launching, else FAILED |
/// | running | running | accepts | RUNNING, with the connection |
/// | running | running | refuses | STARTING (FAILED after `readinessTimeout`) |
/// | running | gone | – | FAILED with the exit status and the last log lines |
/// | running | building the environment | – | BUILDING |
/// | running | – (the build failed) | – | BUILD_FAILED, naming the package when it can |
struct SessionObservation: Hashable, Sendable {
    /// The stored record.
    var record: SessionRecord
    /// Whether any process of the session runs.
    var processesRunning: Bool
    /// Whether 127.0.0.1:`record.port` accepts connections.
    var portAccepts: Bool
    /// The command's exit status, when the launcher recorded one.
    var exitStatus: Int32?
    /// The last lines of the session's log, for failure reasons.
    var logTail: String
    /// The session log's path, for failure reasons.
    var logPath: String
    /// Whether an operation on the session is launching its processes right now.
    var launching: Bool
    /// Seconds since the Unix epoch, now.
    var now: Double
    /// How long the command may take to accept connections, in seconds.
    var readinessTimeout: Double
    /// Whether the launcher is building the session's environment.
    var building = false
    /// Why the environment build failed, when it did.
    var buildFailure: String? = nil

    /// The status to report.
    func status(handle: SessionHandle) -> ProviderSessionStatus {
        let (state, reason) = stateAndReason
        var status = ProviderSessionStatus(
            sessionID: SessionID(rawValue: record.sessionID), handle: handle, state: state, reason: reason)
        if state == .running {
            status.connection = Session.Connection(
                url: "http://127.0.0.1:\(record.port)\(record.basePath ?? "/")?token=\(record.token)", accessToken: record.token,
                agentAddress: record.agentPort.map { "127.0.0.1:\($0)" })
        }
        if let limit = record.durationLimitSeconds, state == .running || state == .starting {
            status.timeLeft = .milliseconds(Int64(max(0, limit - (now - record.startedAt)) * 1000))
        }
        return status
    }

    private var stateAndReason: (SessionState, String) {
        let elapsed = max(0, now - record.startedAt)
        if record.goal == .running, let buildFailure {
            return (.buildFailed, buildFailure)
        }
        if record.goal == .running, building {
            let count = record.packages?.count ?? 0
            return (.building, "building the environment: installing \(count) package\(count == 1 ? "" : "s") (see the build log)")
        }
        switch record.goal {
        case .paused:
            return processesRunning
                ? (.pausing, "stopping the session's processes")
                : (.paused, "compute released; the workspace is kept")
        case .running where processesRunning && portAccepts:
            return (.running, "serving on 127.0.0.1:\(record.port)")
        case .running where processesRunning:
            if elapsed > readinessTimeout {
                return (.failed, "the command has not accepted connections on 127.0.0.1:\(record.port) "
                    + "after \(Int(elapsed)) s (limit \(Int(readinessTimeout)) s); it must serve on $SESSION_PORT"
                    + logSuffix)
            }
            return (.starting, "waiting for the command to accept connections on 127.0.0.1:\(record.port)")
        case .running where record.pid == nil && exitStatus == nil:
            return launching
                ? (.pending, "starting the session's processes")
                : (.failed, "the session's processes were never started (the operation was interrupted); resume the session to start them")
        case .running:
            guard let exitStatus else {
                return (.failed, "the session's processes are gone (killed outside the gateway, or the machine restarted); "
                    + "resume the session to start them again" + logSuffix)
            }
            let ending = exitStatus > 128 && exitStatus < 160
                ? "was killed by signal \(exitStatus - 128)"
                : "exited with code \(exitStatus)"
            return (.failed, "the session's command \(ending)" + logSuffix)
        }
    }

    private var logSuffix: String {
        logTail.isEmpty ? "" : "; last output (\(logPath)):\n\(logTail)"
    }
}
