package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of DataLinkService.DeleteDataLink; empty.
///
/// The `sessiongw.v1.DeleteDataLinkResponse` message.
public struct V1DeleteDataLinkResponse: Sendable, Hashable {
    /// Creates the message.
    public init() {}
}

extension V1DeleteDataLinkResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__delete_data_link_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__DeleteDataLinkResponse>) {}

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__DeleteDataLinkResponse> {
        let message = arena.allocate(Sessiongw__V1__DeleteDataLinkResponse.self)
        sessiongw__v1__delete_data_link_response__init(message)
        return message
    }
}
