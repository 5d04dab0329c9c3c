/// One Slurm job as the backend needs it, independent of the REST API version that
/// reported it (the version adapters fill it in).
struct SlurmJob: Hashable, Sendable {
    /// The job id.
    var id: Int
    /// The job name; the backend's jobs are named `<prefix>-<session id>`.
    var name: String
    /// The job comment; the backend's jobs carry `sessiongw session=<id> owner=<digest>`.
    var comment: String
    /// The base state, upper case: `PENDING`, `RUNNING`, `CANCELLED`, ...
    var state: String
    /// Why it is in that state: `Resources`, `Priority`, `NonZeroExitCode`, `None`...
    var reason: String
    /// A longer description of the reason, when Slurm gives one.
    var reasonDescription: String
    /// The batch script's wait status as Slurm reports it (exit code << 8 | signal).
    var waitStatus: Int?
    /// The partition.
    var partition: String
    /// The nodes it runs on (empty while pending).
    var nodes: String
    /// Seconds since the Unix epoch when it started (0 while pending).
    var startTime: Double
    /// Seconds since the Unix epoch when it ends or ended (its walltime end while
    /// running; 0 while pending).
    var endTime: Double
    /// Its walltime in minutes; nil when unlimited.
    var timeLimitMinutes: Int?
    /// How often Slurm requeued it (after its node failed, or by an administrator).
    var restartCount = 0

    /// States after which the job holds no compute and never runs again.
    static let terminalStates: Set<String> = [
        "CANCELLED", "COMPLETED", "FAILED", "TIMEOUT", "NODE_FAIL", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "PREEMPTED",
    ]

    /// Whether the job is over.
    var isTerminal: Bool { Self.terminalStates.contains(state) }

    /// The exit code of the batch script when it exited normally.
    var exitCode: Int? {
        guard let waitStatus, waitStatus & 0x7F == 0 else { return nil }
        return (waitStatus >> 8) & 0xFF
    }

    /// The signal that ended the batch script, when one did.
    var terminatingSignal: Int? {
        guard let waitStatus, waitStatus & 0x7F != 0 else { return nil }
        return waitStatus & 0x7F
    }
}

/// What the backend asks Slurm to run for one session.
struct JobSubmission: Hashable, Sendable {
    /// The job name.
    var name: String
    /// The job comment.
    var comment: String
    /// The partition; empty for the cluster's default.
    var partition: String
    /// CPUs for the one task.
    var cpus: Int
    /// Memory per node in MiB.
    var memoryMiB: Int64
    /// GPUs, requested as the generic resource `gpu:N`.
    var gpus: Int
    /// Walltime in minutes; nil for the partition's limit.
    var timeLimitMinutes: Int?
    /// The working directory.
    var workingDirectory: String
    /// Where standard output and error go (`%j` is the job id).
    var outputPath: String
    /// The environment the batch script starts with (no secrets: those go in a file).
    var environment: [String: String]
    /// The batch script.
    var script: String
}
