internal import RPCTransport
public import SessionSDK

extension ProviderSessionStatus {
    /// The status of a provider message: session id, handle and a known state are
    /// required; the time left, when there is one, may not be negative.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field, such as `status.handle`.
    public init(_ message: ProviderV1SessionStatus, field: String = "status") throws(SessionError) {
        self.init(
            sessionID: try SessionID(validating: message.sessionID, field: "\(field).session_id"),
            handle: try SessionHandle(validating: message.handle, field: "\(field).handle"),
            state: try SessionState(V1SessionState(rawValue: message.state.rawValue), field: "\(field).state"),
            reason: try APIFieldRules.text(message.reason, field: "\(field).reason"),
            connection: try message.connection.map { connection throws(SessionError) in
                var converted = try Session.Connection(
                    V1Connection(mirroring: connection, field: "\(field).connection"), field: "\(field).connection")
                let agent = try APIFieldRules.text(message.agentAddress, field: "\(field).agent_address")
                converted.agentAddress = agent.isEmpty ? nil : agent
                return converted
            },
            timeLeft: try APIFieldRules.duration(message.timeLeft, field: "\(field).time_left")
        )
    }
}

extension ProviderV1SessionStatus {
    /// The provider message of a status; the time left is never below 0.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming the field when a string holds a NUL
    ///   character.
    public init(_ status: ProviderSessionStatus, field: String = "status") throws(SessionError) {
        try self.init(
            sessionID: status.sessionID.rawValue,
            handle: status.handle.rawValue,
            state: ProviderV1SessionState(rawValue: V1SessionState(status.state).rawValue),
            reason: status.reason,
            connection: status.connection.map { connection throws(SessionError) in
                try ProviderV1Connection(mirroring: V1Connection(connection), field: "\(field).connection")
            },
            timeLeft: status.timeLeft.map { ProtobufDuration(max(.zero, $0)) },
            agentAddress: status.connection?.agentAddress ?? ""
        )
    }
}
