public import SessionSDK

extension SessionState {
    /// The canonical state of a wire value.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field` for `SESSION_STATE_UNSPECIFIED` and
    ///   values this version does not know.
    public init(_ value: V1SessionState, field: String = "state") throws(SessionError) {
        switch value {
        case .pending: self = .pending
        case .building: self = .building
        case .buildFailed: self = .buildFailed
        case .starting: self = .starting
        case .running: self = .running
        case .pausing: self = .pausing
        case .paused: self = .paused
        case .failed: self = .failed
        case .deleting: self = .deleting
        case .unknown: self = .unknown
        case .unspecified: throw APIFieldRules.invalid(field, "is required")
        case .unrecognized(let raw): throw APIFieldRules.invalid(field, "has an unknown value \(raw)")
        }
    }
}

extension V1SessionState {
    /// The wire value of a canonical state.
    public init(_ state: SessionState) {
        self = switch state {
        case .pending: .pending
        case .building: .building
        case .buildFailed: .buildFailed
        case .starting: .starting
        case .running: .running
        case .pausing: .pausing
        case .paused: .paused
        case .failed: .failed
        case .deleting: .deleting
        case .unknown: .unknown
        }
    }
}
