import SessionAPI

// The names the client prints and accepts for the API's enums: the `.proto` value
// names without their type prefix (`SESSION_STATE_RUNNING` → `RUNNING`). A value this
// version does not know prints as its number.

extension V1SessionState {
    /// `RUNNING`, `BUILD_FAILED`, ...; the number for a value this version does not know.
    var name: String {
        switch self {
        case .unspecified: "UNSPECIFIED"
        case .pending: "PENDING"
        case .building: "BUILDING"
        case .buildFailed: "BUILD_FAILED"
        case .starting: "STARTING"
        case .running: "RUNNING"
        case .pausing: "PAUSING"
        case .paused: "PAUSED"
        case .failed: "FAILED"
        case .deleting: "DELETING"
        case .unknown: "UNKNOWN"
        case .unrecognized(let value): String(value)
        }
    }

    /// Every state a session can report, in lifecycle order.
    static let reportable: [V1SessionState] = [
        .pending, .building, .buildFailed, .starting, .running, .pausing, .paused, .failed, .deleting, .unknown,
    ]

    /// The state a name stands for: case-insensitive, `-` for `_` allowed
    /// (`build-failed`); nil for anything else.
    init?(name: String) {
        let normalized = String(name.uppercased().map { $0 == "-" ? "_" : $0 })
        guard let state = Self.reportable.first(where: { $0.name == normalized }) else { return nil }
        self = state
    }
}

extension V1WatchEventType {
    /// `ADDED`, `MODIFIED`, `DELETED`, `SNAPSHOT_END`.
    var name: String {
        switch self {
        case .unspecified: "UNSPECIFIED"
        case .added: "ADDED"
        case .modified: "MODIFIED"
        case .deleted: "DELETED"
        case .snapshotEnd: "SNAPSHOT_END"
        case .unrecognized(let value): String(value)
        }
    }
}

extension V1IDEKind {
    /// `JUPYTERLAB`, `VSCODE`, `RSTUDIO`, `TERMINAL`.
    var name: String {
        switch self {
        case .unspecified: "UNSPECIFIED"
        case .jupyterlab: "JUPYTERLAB"
        case .vscode: "VSCODE"
        case .rstudio: "RSTUDIO"
        case .terminal: "TERMINAL"
        case .unrecognized(let value): String(value)
        }
    }
}

extension V1ImageTag {
    /// `RECOMMENDED`, `DEPRECATED`, `EXPERIMENTAL`.
    var name: String {
        switch self {
        case .unspecified: "UNSPECIFIED"
        case .recommended: "RECOMMENDED"
        case .deprecated: "DEPRECATED"
        case .experimental: "EXPERIMENTAL"
        case .unrecognized(let value): String(value)
        }
    }
}

extension V1CheckpointTrigger {
    /// `START`, `PERIODIC`, `PAUSE`.
    var name: String {
        switch self {
        case .unspecified: "UNSPECIFIED"
        case .start: "START"
        case .periodic: "PERIODIC"
        case .pause: "PAUSE"
        case .unrecognized(let value): String(value)
        }
    }
}

extension V1SessionEventType {
    /// `STATE_CHANGED`, `ACTION`, `CHECKPOINT`, `WARNING`, `ERROR`.
    var name: String {
        switch self {
        case .unspecified: "UNSPECIFIED"
        case .stateChanged: "STATE_CHANGED"
        case .action: "ACTION"
        case .checkpoint: "CHECKPOINT"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .unrecognized(let value): String(value)
        }
    }
}
