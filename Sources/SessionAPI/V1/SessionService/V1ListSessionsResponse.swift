package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionService.ListSessions.
///
/// The `sessiongw.v1.ListSessionsResponse` message.
public struct V1ListSessionsResponse: Sendable, Hashable {
    /// The sessions of this page.
    public var sessions: [V1Session]
    /// The token for the next page; empty when this is the last page.
    public var nextPageToken: String
    /// The gateway's revision when the first page was read; pass it to
    /// WatchSessionsRequest.since_revision to follow changes after this listing.
    public var revision: Int64

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        sessions: [V1Session] = [],
        nextPageToken: String = "",
        revision: Int64 = 0
    ) {
        self.sessions = sessions
        self.nextPageToken = nextPageToken
        self.revision = revision
    }
}

extension V1ListSessionsResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__list_sessions_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__ListSessionsResponse>) {
        let c = cStruct.pointee
        sessions = ProtobufCField.messages(c.sessions, count: c.n_sessions, V1Session.init(cStruct:))
        nextPageToken = ProtobufCField.string(c.next_page_token)
        revision = c.revision
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__ListSessionsResponse> {
        let message = arena.allocate(Sessiongw__V1__ListSessionsResponse.self)
        sessiongw__v1__list_sessions_response__init(message)
        message.pointee.n_sessions = sessions.count
        message.pointee.sessions = arena.messages(sessions) { $0.cStruct(in: arena) }
        message.pointee.next_page_token = arena.string(nextPageToken)
        message.pointee.revision = revision
        return message
    }
}
