package import CProtobufC
package import CProtos
package import RPCTransport

/// A named link to data a session can mount: a cloud bucket or a subdirectory of one,
/// an EFS file system, or a path on a cluster file system.
///
/// The `sessiongw.v1.DataLink` message.
public struct V1DataLink: Sendable, Hashable {
    /// The link's id, unique on the gateway.
    public var id: String
    /// The workspace it belongs to.
    public var workspace: String
    /// The normalized name: lower-case letters, digits and `-`, at most 63 characters;
    /// the directory under /workspace/data.
    public var name: String
    /// Where the data is: `s3://bucket[/prefix]`, `efs://filesystem-id[/prefix]` or
    /// `file:///absolute/path`.
    public var location: String
    /// What it is for, for people.
    public var description: String
    /// Where it appears inside a session (/workspace/data/<name>). Set only where the
    /// link is shown as mounted in a session (Session.data_links); empty otherwise.
    public var mountPath: String
    /// Whether writes through the mount are refused. Set only where the link is shown
    /// as mounted in a session; a link is read-only unless the compute environment
    /// lists its bucket as writable.
    public var readOnly: Bool

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        id: String = "",
        workspace: String = "",
        name: String = "",
        location: String = "",
        description: String = "",
        mountPath: String = "",
        readOnly: Bool = false
    ) {
        self.id = id
        self.workspace = workspace
        self.name = name
        self.location = location
        self.description = description
        self.mountPath = mountPath
        self.readOnly = readOnly
    }
}

extension V1DataLink: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__data_link__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__DataLink>) {
        let c = cStruct.pointee
        id = ProtobufCField.string(c.id)
        workspace = ProtobufCField.string(c.workspace)
        name = ProtobufCField.string(c.name)
        location = ProtobufCField.string(c.location)
        description = ProtobufCField.string(c.description)
        mountPath = ProtobufCField.string(c.mount_path)
        readOnly = c.read_only != 0
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__DataLink> {
        let message = arena.allocate(Sessiongw__V1__DataLink.self)
        sessiongw__v1__data_link__init(message)
        message.pointee.id = arena.string(id)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.name = arena.string(name)
        message.pointee.location = arena.string(location)
        message.pointee.description = arena.string(description)
        message.pointee.mount_path = arena.string(mountPath)
        message.pointee.read_only = readOnly ? 1 : 0
        return message
    }
}
