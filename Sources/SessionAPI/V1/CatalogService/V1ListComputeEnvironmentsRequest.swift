package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of CatalogService.ListComputeEnvironments.
///
/// The `sessiongw.v1.ListComputeEnvironmentsRequest` message.
public struct V1ListComputeEnvironmentsRequest: Sendable, Hashable {
    /// The workspace; empty for "default".
    public var workspace: String
    /// The most environments to return; 0 for the gateway's default (100).
    public var pageSize: Int32
    /// The `next_page_token` of the previous page; empty for the first page.
    public var pageToken: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        workspace: String = "",
        pageSize: Int32 = 0,
        pageToken: String = ""
    ) {
        self.workspace = workspace
        self.pageSize = pageSize
        self.pageToken = pageToken
    }
}

extension V1ListComputeEnvironmentsRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__list_compute_environments_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__ListComputeEnvironmentsRequest>) {
        let c = cStruct.pointee
        workspace = ProtobufCField.string(c.workspace)
        pageSize = c.page_size
        pageToken = ProtobufCField.string(c.page_token)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__ListComputeEnvironmentsRequest> {
        let message = arena.allocate(Sessiongw__V1__ListComputeEnvironmentsRequest.self)
        sessiongw__v1__list_compute_environments_request__init(message)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.page_size = pageSize
        message.pointee.page_token = arena.string(pageToken)
        return message
    }
}
