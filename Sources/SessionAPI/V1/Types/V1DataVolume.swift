package import CProtobufC
package import CProtos
package import RPCTransport

/// An extra volume mounted in a session.
///
/// The `sessiongw.v1.DataVolume` message.
public struct V1DataVolume: Sendable, Hashable {
    /// The existing volume or claim.
    public var source: String
    /// Where it appears in the session: an absolute path without `..` segments.
    public var mountPath: String
    /// Whether writes are refused.
    public var readOnly: Bool

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        source: String = "",
        mountPath: String = "",
        readOnly: Bool = false
    ) {
        self.source = source
        self.mountPath = mountPath
        self.readOnly = readOnly
    }
}

extension V1DataVolume: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__data_volume__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__DataVolume>) {
        let c = cStruct.pointee
        source = ProtobufCField.string(c.source)
        mountPath = ProtobufCField.string(c.mount_path)
        readOnly = c.read_only != 0
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__DataVolume> {
        let message = arena.allocate(Sessiongw__V1__DataVolume.self)
        sessiongw__v1__data_volume__init(message)
        message.pointee.source = arena.string(source)
        message.pointee.mount_path = arena.string(mountPath)
        message.pointee.read_only = readOnly ? 1 : 0
        return message
    }
}
