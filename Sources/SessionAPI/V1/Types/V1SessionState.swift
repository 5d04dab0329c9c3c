package import CProtos

/// The canonical state of a session: one set for every backend. The comments give the
/// words Kubeflow Notebooks and Seqera Studios users know for each state.
///
/// The `sessiongw.v1.SessionState` enum. Protobuf enums are open: a value this version
/// does not know is kept as ``unrecognized(_:)`` and survives decoding and encoding.
public enum V1SessionState: RawRepresentable, Sendable, Hashable {
    /// Not set. Never reported for a session; in filters, ignored (`SESSION_STATE_UNSPECIFIED` = 0).
    case unspecified
    /// Accepted; compute is being provisioned, the image pulled, storage mounted, or the
    /// session is queued (Kubeflow "Pending", Seqera "starting") (`SESSION_STATE_PENDING` = 1).
    case pending
    /// A custom environment is being built (Seqera "building") (`SESSION_STATE_BUILDING` = 2).
    case building
    /// The environment build failed; its logs are kept (Seqera "build-failed") (`SESSION_STATE_BUILD_FAILED` = 3).
    case buildFailed
    /// Compute is there; the IDE is not answering yet (Kubeflow "Pending", Seqera
    /// "starting") (`SESSION_STATE_STARTING` = 4).
    case starting
    /// Healthy; connection information is available (Kubeflow "Running", Seqera
    /// "running") (`SESSION_STATE_RUNNING` = 5).
    case running
    /// Releasing compute and taking the final checkpoint (Seqera "stopping") (`SESSION_STATE_PAUSING` = 6).
    case pausing
    /// Compute released; storage and checkpoints kept (Kubeflow "Paused", Seqera
    /// "stopped") (`SESSION_STATE_PAUSED` = 7).
    case paused
    /// The last reconcile failed; `Session.state_reason` and the activity log say why
    /// (Kubeflow "Error", Seqera "errored") (`SESSION_STATE_FAILED` = 8).
    case failed
    /// Compute and storage are being torn down; irreversible (Kubeflow "Terminating") (`SESSION_STATE_DELETING` = 9).
    case deleting
    /// The backend cannot be reached or gives no answer (Kubeflow "Unknown") (`SESSION_STATE_UNKNOWN` = 10).
    case unknown
    /// A value with no case here.
    case unrecognized(Int32)

    /// The case for a wire value.
    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unspecified
        case 1: self = .pending
        case 2: self = .building
        case 3: self = .buildFailed
        case 4: self = .starting
        case 5: self = .running
        case 6: self = .pausing
        case 7: self = .paused
        case 8: self = .failed
        case 9: self = .deleting
        case 10: self = .unknown
        default: self = .unrecognized(rawValue)
        }
    }

    /// The wire value.
    public var rawValue: Int32 {
        switch self {
        case .unspecified: 0
        case .pending: 1
        case .building: 2
        case .buildFailed: 3
        case .starting: 4
        case .running: 5
        case .pausing: 6
        case .paused: 7
        case .failed: 8
        case .deleting: 9
        case .unknown: 10
        case .unrecognized(let value): value
        }
    }
}

extension V1SessionState {
    /// The case for the generated C enum.
    package init(_ value: Sessiongw__V1__SessionState) {
        self.init(rawValue: Int32(bitPattern: value.rawValue))
    }

    /// The generated C enum.
    package var cValue: Sessiongw__V1__SessionState {
        Sessiongw__V1__SessionState(rawValue: UInt32(bitPattern: rawValue))
    }
}
