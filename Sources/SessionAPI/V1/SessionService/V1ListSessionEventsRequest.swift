package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionService.ListSessionEvents.
///
/// The `sessiongw.v1.ListSessionEventsRequest` message.
public struct V1ListSessionEventsRequest: Sendable, Hashable {
    /// The session's workspace; empty for "default".
    public var workspace: String
    /// The session's id.
    public var sessionID: String
    /// The most events to return; 0 for the gateway's default (100).
    public var pageSize: Int32
    /// The `next_page_token` of the previous page; empty for the first page.
    public var pageToken: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        workspace: String = "",
        sessionID: String = "",
        pageSize: Int32 = 0,
        pageToken: String = ""
    ) {
        self.workspace = workspace
        self.sessionID = sessionID
        self.pageSize = pageSize
        self.pageToken = pageToken
    }
}

extension V1ListSessionEventsRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__list_session_events_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__ListSessionEventsRequest>) {
        let c = cStruct.pointee
        workspace = ProtobufCField.string(c.workspace)
        sessionID = ProtobufCField.string(c.session_id)
        pageSize = c.page_size
        pageToken = ProtobufCField.string(c.page_token)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__ListSessionEventsRequest> {
        let message = arena.allocate(Sessiongw__V1__ListSessionEventsRequest.self)
        sessiongw__v1__list_session_events_request__init(message)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.session_id = arena.string(sessionID)
        message.pointee.page_size = pageSize
        message.pointee.page_token = arena.string(pageToken)
        return message
    }
}
