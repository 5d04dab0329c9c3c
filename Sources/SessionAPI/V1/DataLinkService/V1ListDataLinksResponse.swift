package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of DataLinkService.ListDataLinks.
///
/// The `sessiongw.v1.ListDataLinksResponse` message.
public struct V1ListDataLinksResponse: Sendable, Hashable {
    /// The links of this page.
    public var dataLinks: [V1DataLink]
    /// The token for the next page; empty when this is the last page.
    public var nextPageToken: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(dataLinks: [V1DataLink] = [], nextPageToken: String = "") {
        self.dataLinks = dataLinks
        self.nextPageToken = nextPageToken
    }
}

extension V1ListDataLinksResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__list_data_links_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__ListDataLinksResponse>) {
        let c = cStruct.pointee
        dataLinks = ProtobufCField.messages(c.data_links, count: c.n_data_links, V1DataLink.init(cStruct:))
        nextPageToken = ProtobufCField.string(c.next_page_token)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__ListDataLinksResponse> {
        let message = arena.allocate(Sessiongw__V1__ListDataLinksResponse.self)
        sessiongw__v1__list_data_links_response__init(message)
        message.pointee.n_data_links = dataLinks.count
        message.pointee.data_links = arena.messages(dataLinks) { $0.cStruct(in: arena) }
        message.pointee.next_page_token = arena.string(nextPageToken)
        return message
    }
}
