package import CProtobufC
package import CProtos
package import RPCTransport

/// One image of a preset's catalog.
///
/// The `sessiongw.v1.PresetImage` message.
public struct V1PresetImage: Sendable, Hashable {
    /// The name people pick, such as `pytorch`.
    public var name: String
    /// The image reference or, on backends without containers, the environment.
    public var reference: String
    /// How it is offered.
    public var tag: V1ImageTag

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        name: String = "",
        reference: String = "",
        tag: V1ImageTag = .unspecified
    ) {
        self.name = name
        self.reference = reference
        self.tag = tag
    }
}

extension V1PresetImage: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__preset_image__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__PresetImage>) {
        let c = cStruct.pointee
        name = ProtobufCField.string(c.name)
        reference = ProtobufCField.string(c.reference)
        tag = V1ImageTag(c.tag)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__PresetImage> {
        let message = arena.allocate(Sessiongw__V1__PresetImage.self)
        sessiongw__v1__preset_image__init(message)
        message.pointee.name = arena.string(name)
        message.pointee.reference = arena.string(reference)
        message.pointee.tag = tag.cValue
        return message
    }
}
