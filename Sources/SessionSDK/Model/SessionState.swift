/// The canonical state of a session, the same for every backend.
///
/// | state | Kubeflow | Seqera | meaning |
/// |---|---|---|---|
/// | `pending` | Pending | starting | accepted; compute being provisioned, image pulled, storage mounted, or queued |
/// | `building` | — | building | a custom environment is being built |
/// | `buildFailed` | — | build-failed | the build failed; logs are kept |
/// | `starting` | Pending | starting | compute is there; the IDE is not answering yet |
/// | `running` | Running | running | healthy; connection info available |
/// | `pausing` | — | stopping | releasing compute, taking the final checkpoint |
/// | `paused` | Paused | stopped | compute released; storage and checkpoints kept |
/// | `failed` | Error | errored | the last reconcile failed; the reason and activity log say why |
/// | `deleting` | Terminating | — | tearing down compute and storage; irreversible |
/// | `unknown` | Unknown | — | the backend cannot be reached or gives no answer |
public enum SessionState: String, Sendable, Hashable, CaseIterable, CustomStringConvertible, Codable {
    case pending = "PENDING"
    case building = "BUILDING"
    case buildFailed = "BUILD_FAILED"
    case starting = "STARTING"
    case running = "RUNNING"
    case pausing = "PAUSING"
    case paused = "PAUSED"
    case failed = "FAILED"
    case deleting = "DELETING"
    case unknown = "UNKNOWN"

    /// The upper-case name used in APIs and messages.
    public var description: String { rawValue }

    /// The word Kubeflow Notebooks users know.
    public var kubeflowName: String {
        switch self {
        case .pending, .starting, .building: "Pending"
        case .running: "Running"
        case .pausing, .paused: "Paused"
        case .failed, .buildFailed: "Error"
        case .deleting: "Terminating"
        case .unknown: "Unknown"
        }
    }

    /// The word Seqera Studios users know.
    public var seqeraName: String {
        switch self {
        case .pending, .starting: "starting"
        case .building: "building"
        case .buildFailed: "build-failed"
        case .running: "running"
        case .pausing: "stopping"
        case .paused: "stopped"
        case .failed: "errored"
        case .deleting: "deleting"
        case .unknown: "unknown"
        }
    }

    /// Whether the session holds compute (or is acquiring it).
    public var holdsCompute: Bool {
        switch self {
        case .pending, .building, .starting, .running, .pausing: true
        case .buildFailed, .paused, .failed, .deleting, .unknown: false
        }
    }

    /// Whether the state is on the way somewhere else and the reconciler should keep
    /// watching it.
    public var isTransitional: Bool {
        switch self {
        case .pending, .building, .starting, .pausing, .deleting: true
        case .buildFailed, .running, .paused, .failed, .unknown: false
        }
    }
}
