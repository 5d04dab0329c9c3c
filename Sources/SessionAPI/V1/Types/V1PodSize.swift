package import CProtobufC
package import CProtos
package import RPCTransport

/// A compute shape of a preset's catalog, such as "small".
///
/// The `sessiongw.v1.PodSize` message.
public struct V1PodSize: Sendable, Hashable {
    /// The name people pick.
    public var name: String
    /// What it gives.
    public var resources: V1Resources?

    /// Creates the message; every field defaults to its protobuf default.
    public init(name: String = "", resources: V1Resources? = nil) {
        self.name = name
        self.resources = resources
    }
}

extension V1PodSize: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__pod_size__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__PodSize>) {
        let c = cStruct.pointee
        name = ProtobufCField.string(c.name)
        resources = c.resources.map(V1Resources.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__PodSize> {
        let message = arena.allocate(Sessiongw__V1__PodSize.self)
        sessiongw__v1__pod_size__init(message)
        message.pointee.name = arena.string(name)
        message.pointee.resources = resources?.cStruct(in: arena)
        return message
    }
}
