package import CProtobufC
package import CProtos
package import RPCTransport

/// The request of DataLinkService.CreateDataLink.
///
/// The `sessiongw.v1.CreateDataLinkRequest` message.
public struct V1CreateDataLinkRequest: Sendable, Hashable {
    /// The workspace; empty for "default".
    public var workspace: String
    /// The link's name, normalized to a lower-case directory name (letters, digits and
    /// `-`, at most 63 characters); empty to derive one from the bucket and path.
    public var name: String
    /// Where the data is: `s3://bucket[/prefix]`, `efs://filesystem-id[/prefix]` or
    /// `file:///absolute/path`.
    public var location: String
    /// What it is for, for people.
    public var description: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        workspace: String = "",
        name: String = "",
        location: String = "",
        description: String = ""
    ) {
        self.workspace = workspace
        self.name = name
        self.location = location
        self.description = description
    }
}

extension V1CreateDataLinkRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__create_data_link_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__CreateDataLinkRequest>) {
        let c = cStruct.pointee
        workspace = ProtobufCField.string(c.workspace)
        name = ProtobufCField.string(c.name)
        location = ProtobufCField.string(c.location)
        description = ProtobufCField.string(c.description)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__CreateDataLinkRequest> {
        let message = arena.allocate(Sessiongw__V1__CreateDataLinkRequest.self)
        sessiongw__v1__create_data_link_request__init(message)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.name = arena.string(name)
        message.pointee.location = arena.string(location)
        message.pointee.description = arena.string(description)
        return message
    }
}
