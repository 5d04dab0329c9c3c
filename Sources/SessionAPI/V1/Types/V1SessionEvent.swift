package import CProtobufC
package import CProtos
package import RPCTransport

/// One entry of a session's activity log.
///
/// The `sessiongw.v1.SessionEvent` message.
public struct V1SessionEvent: Sendable, Hashable {
    /// The session it is about.
    public var sessionID: String
    /// When it happened.
    public var timeSeconds: Double
    /// What kind of entry it is.
    public var type: V1SessionEventType
    /// What happened, for people.
    public var message: String
    /// The state before, for STATE_CHANGED; UNSPECIFIED otherwise.
    public var fromState: V1SessionState
    /// The state after, for STATE_CHANGED; UNSPECIFIED otherwise.
    public var toState: V1SessionState
    /// Who asked, for ACTION entries; empty for the gateway's own work.
    public var actor: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        sessionID: String = "",
        timeSeconds: Double = 0,
        type: V1SessionEventType = .unspecified,
        message: String = "",
        fromState: V1SessionState = .unspecified,
        toState: V1SessionState = .unspecified,
        actor: String = ""
    ) {
        self.sessionID = sessionID
        self.timeSeconds = timeSeconds
        self.type = type
        self.message = message
        self.fromState = fromState
        self.toState = toState
        self.actor = actor
    }
}

extension V1SessionEvent: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__session_event__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__SessionEvent>) {
        let c = cStruct.pointee
        sessionID = ProtobufCField.string(c.session_id)
        timeSeconds = c.time_seconds
        type = V1SessionEventType(c.type)
        message = ProtobufCField.string(c.message)
        fromState = V1SessionState(c.from_state)
        toState = V1SessionState(c.to_state)
        actor = ProtobufCField.string(c.actor)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__SessionEvent> {
        let result = arena.allocate(Sessiongw__V1__SessionEvent.self)
        sessiongw__v1__session_event__init(result)
        result.pointee.session_id = arena.string(sessionID)
        result.pointee.time_seconds = timeSeconds
        result.pointee.type = type.cValue
        result.pointee.message = arena.string(self.message)
        result.pointee.from_state = fromState.cValue
        result.pointee.to_state = toState.cValue
        result.pointee.actor = arena.string(actor)
        return result
    }
}
