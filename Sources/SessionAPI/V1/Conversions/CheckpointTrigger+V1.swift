public import SessionSDK

extension Checkpoint.Trigger {
    /// The trigger of a wire value.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `field` for `CHECKPOINT_TRIGGER_UNSPECIFIED`
    ///   and values this version does not know.
    public init(_ value: V1CheckpointTrigger, field: String = "trigger") throws(SessionError) {
        switch value {
        case .start: self = .start
        case .periodic: self = .periodic
        case .pause: self = .pause
        case .unspecified: throw APIFieldRules.invalid(field, "is required")
        case .unrecognized(let raw): throw APIFieldRules.invalid(field, "has an unknown value \(raw)")
        }
    }
}

extension V1CheckpointTrigger {
    /// The wire value of a trigger.
    public init(_ trigger: Checkpoint.Trigger) {
        self = switch trigger {
        case .start: .start
        case .periodic: .periodic
        case .pause: .pause
        }
    }
}
