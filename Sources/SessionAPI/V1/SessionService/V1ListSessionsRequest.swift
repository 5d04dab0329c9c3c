package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of SessionService.ListSessions.
///
/// The `sessiongw.v1.ListSessionsRequest` message.
public struct V1ListSessionsRequest: Sendable, Hashable {
    /// The workspace to list; empty for "default".
    public var workspace: String
    /// Which sessions; absent for all.
    public var filter: V1SessionFilter?
    /// The most sessions to return; 0 for the gateway's default (100). The gateway may
    /// return fewer.
    public var pageSize: Int32
    /// The `next_page_token` of the previous page; empty for the first page. The other
    /// fields must be the same as for the first page.
    public var pageToken: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        workspace: String = "",
        filter: V1SessionFilter? = nil,
        pageSize: Int32 = 0,
        pageToken: String = ""
    ) {
        self.workspace = workspace
        self.filter = filter
        self.pageSize = pageSize
        self.pageToken = pageToken
    }
}

extension V1ListSessionsRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__list_sessions_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__ListSessionsRequest>) {
        let c = cStruct.pointee
        workspace = ProtobufCField.string(c.workspace)
        filter = c.filter.map(V1SessionFilter.init(cStruct:))
        pageSize = c.page_size
        pageToken = ProtobufCField.string(c.page_token)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__ListSessionsRequest> {
        let message = arena.allocate(Sessiongw__V1__ListSessionsRequest.self)
        sessiongw__v1__list_sessions_request__init(message)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.filter = filter?.cStruct(in: arena)
        message.pointee.page_size = pageSize
        message.pointee.page_token = arena.string(pageToken)
        return message
    }
}
