package import CProtobufC
package import CProtos
package import RPCTransport

/// What a provider observes of one session.
///
/// The `sessiongw.provider.v1.SessionStatus` message.
public struct ProviderV1SessionStatus: Sendable, Hashable {
    /// The session's id.
    public var sessionID: String
    /// The provider's opaque handle for the session's resources: a job id, a
    /// StatefulSet name, a process group. The gateway stores it and never interprets
    /// it.
    public var handle: String
    /// The canonical state the backend's native state maps to.
    public var state: V1SessionState
    /// Why, for people: queue reason, failure with exit code, progress.
    public var reason: String
    /// How to reach the IDE, once it serves; absent before.
    public var connection: V1Connection?
    /// Whether the session has a duration limit; `time_left_seconds` is read only
    /// when it does.
    public var hasDurationLimit: Bool
    /// Seconds left before the duration limit; 0 when it has been reached.
    public var timeLeftSeconds: Int64

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        sessionID: String = "",
        handle: String = "",
        state: V1SessionState = .unspecified,
        reason: String = "",
        connection: V1Connection? = nil,
        hasDurationLimit: Bool = false,
        timeLeftSeconds: Int64 = 0
    ) {
        self.sessionID = sessionID
        self.handle = handle
        self.state = state
        self.reason = reason
        self.connection = connection
        self.hasDurationLimit = hasDurationLimit
        self.timeLeftSeconds = timeLeftSeconds
    }
}

extension ProviderV1SessionStatus: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__session_status__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__SessionStatus>) {
        let c = cStruct.pointee
        sessionID = ProtobufCField.string(c.session_id)
        handle = ProtobufCField.string(c.handle)
        state = V1SessionState(c.state)
        reason = ProtobufCField.string(c.reason)
        connection = c.connection.map(V1Connection.init(cStruct:))
        hasDurationLimit = c.has_duration_limit != 0
        timeLeftSeconds = c.time_left_seconds
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__SessionStatus> {
        let message = arena.allocate(Sessiongw__Provider__V1__SessionStatus.self)
        sessiongw__provider__v1__session_status__init(message)
        message.pointee.session_id = arena.string(sessionID)
        message.pointee.handle = arena.string(handle)
        message.pointee.state = state.cValue
        message.pointee.reason = arena.string(reason)
        message.pointee.connection = connection?.cStruct(in: arena)
        message.pointee.has_duration_limit = hasDurationLimit ? 1 : 0
        message.pointee.time_left_seconds = timeLeftSeconds
        return message
    }
}
