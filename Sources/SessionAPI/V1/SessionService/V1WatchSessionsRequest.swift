package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionService.WatchSessions.
///
/// The `sessiongw.v1.WatchSessionsRequest` message.
public struct V1WatchSessionsRequest: Sendable, Hashable {
    /// The workspace to watch; empty for "default".
    public var workspace: String
    /// Which sessions; absent for all.
    public var filter: V1SessionFilter?
    /// 0 to receive the current state first (an ADDED event for every matching
    /// session, then SNAPSHOT_END) and then every change; otherwise the `revision` of
    /// the last event received (or of a ListSessionsResponse), to receive only the
    /// changes after it. FAILED_PRECONDITION when the gateway no longer keeps changes
    /// that old: watch again from 0.
    public var sinceRevision: Int64

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        workspace: String = "",
        filter: V1SessionFilter? = nil,
        sinceRevision: Int64 = 0
    ) {
        self.workspace = workspace
        self.filter = filter
        self.sinceRevision = sinceRevision
    }
}

extension V1WatchSessionsRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__watch_sessions_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__WatchSessionsRequest>) {
        let c = cStruct.pointee
        workspace = ProtobufCField.string(c.workspace)
        filter = c.filter.map(V1SessionFilter.init(cStruct:))
        sinceRevision = c.since_revision
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__WatchSessionsRequest> {
        let message = arena.allocate(Sessiongw__V1__WatchSessionsRequest.self)
        sessiongw__v1__watch_sessions_request__init(message)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.filter = filter?.cStruct(in: arena)
        message.pointee.since_revision = sinceRevision
        return message
    }
}
