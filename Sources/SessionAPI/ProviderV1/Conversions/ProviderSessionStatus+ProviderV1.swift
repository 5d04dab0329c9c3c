public import SessionSDK

extension ProviderSessionStatus {
    /// The status of a provider message: session id, handle and a known state are
    /// required; the time left is read only when `has_duration_limit` is set and may
    /// not be negative.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as `status.handle`.
    public init(_ message: ProviderV1SessionStatus, field: String = "status") throws(SessionError) {
        var timeLeft: Duration?
        if message.hasDurationLimit {
            let seconds = try APIFieldRules.nonNegative(message.timeLeftSeconds, field: "\(field).time_left_seconds")
            timeLeft = .seconds(seconds)
        }
        self.init(
            sessionID: try SessionID(validating: message.sessionID, field: "\(field).session_id"),
            handle: try SessionHandle(validating: message.handle, field: "\(field).handle"),
            state: try SessionState(message.state, field: "\(field).state"),
            reason: try APIFieldRules.text(message.reason, field: "\(field).reason"),
            connection: try message.connection.map { connection throws(SessionError) in
                try Session.Connection(connection, field: "\(field).connection")
            },
            timeLeft: timeLeft
        )
    }
}

extension ProviderV1SessionStatus {
    /// The provider message of a status; the time left is rounded down to whole
    /// seconds (never below 0).
    public init(_ status: ProviderSessionStatus) {
        self.init(
            sessionID: status.sessionID.rawValue,
            handle: status.handle.rawValue,
            state: V1SessionState(status.state),
            reason: status.reason,
            connection: status.connection.map(V1Connection.init),
            hasDurationLimit: status.timeLeft != nil,
            timeLeftSeconds: max(0, status.timeLeft?.components.seconds ?? 0)
        )
    }
}
