package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of DataLinkService.DeleteDataLink.
///
/// The `sessiongw.v1.DeleteDataLinkRequest` message.
public struct V1DeleteDataLinkRequest: Sendable, Hashable {
    /// The link's workspace; empty for "default".
    public var workspace: String
    /// The link's id.
    public var dataLinkID: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(workspace: String = "", dataLinkID: String = "") {
        self.workspace = workspace
        self.dataLinkID = dataLinkID
    }
}

extension V1DeleteDataLinkRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__delete_data_link_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__DeleteDataLinkRequest>) {
        let c = cStruct.pointee
        workspace = ProtobufCField.string(c.workspace)
        dataLinkID = ProtobufCField.string(c.data_link_id)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__DeleteDataLinkRequest> {
        let message = arena.allocate(Sessiongw__V1__DeleteDataLinkRequest.self)
        sessiongw__v1__delete_data_link_request__init(message)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.data_link_id = arena.string(dataLinkID)
        return message
    }
}
