package import CProtobufC
package import CProtos
package import RPCTransport

/// One event of SessionService.WatchSessions.
///
/// The `sessiongw.v1.WatchSessionsResponse` message.
public struct V1WatchSessionsResponse: Sendable, Hashable {
    /// What happened.
    public var type: V1WatchEventType
    /// The session as it is after the change; absent for SNAPSHOT_END.
    public var session: V1Session?
    /// The gateway's revision after this event; resume from it.
    public var revision: Int64

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        type: V1WatchEventType = .unspecified,
        session: V1Session? = nil,
        revision: Int64 = 0
    ) {
        self.type = type
        self.session = session
        self.revision = revision
    }
}

extension V1WatchSessionsResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__watch_sessions_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__WatchSessionsResponse>) {
        let c = cStruct.pointee
        type = V1WatchEventType(c.type)
        session = c.session.map(V1Session.init(cStruct:))
        revision = c.revision
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__WatchSessionsResponse> {
        let message = arena.allocate(Sessiongw__V1__WatchSessionsResponse.self)
        sessiongw__v1__watch_sessions_response__init(message)
        message.pointee.type = type.cValue
        message.pointee.session = session?.cStruct(in: arena)
        message.pointee.revision = revision
        return message
    }
}
