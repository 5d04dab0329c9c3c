package import CProtobufC
package import CProtos
package import RPCTransport

/// An admin-defined template sessions are made from: the IDE, the images it offers
/// and the pod sizes to choose from.
///
/// The `sessiongw.v1.Preset` message.
public struct V1Preset: Sendable, Hashable {
    /// The preset's id, unique on the gateway.
    public var id: String
    /// What people read.
    public var displayName: String
    /// The IDE it starts.
    public var ideKind: V1IDEKind
    /// The images offered.
    public var images: [V1PresetImage]
    /// The compute shapes offered.
    public var podSizes: [V1PodSize]
    /// The pod size chosen when a request names none.
    public var defaultPodSize: String
    /// The command a session runs; it serves the IDE on $SESSION_PORT.
    public var command: [String]
    /// The size of a new home volume when a request gives none.
    public var defaultHomeVolumeBytes: Int64

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        id: String = "",
        displayName: String = "",
        ideKind: V1IDEKind = .unspecified,
        images: [V1PresetImage] = [],
        podSizes: [V1PodSize] = [],
        defaultPodSize: String = "",
        command: [String] = [],
        defaultHomeVolumeBytes: Int64 = 0
    ) {
        self.id = id
        self.displayName = displayName
        self.ideKind = ideKind
        self.images = images
        self.podSizes = podSizes
        self.defaultPodSize = defaultPodSize
        self.command = command
        self.defaultHomeVolumeBytes = defaultHomeVolumeBytes
    }
}

extension V1Preset: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__preset__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__Preset>) {
        let c = cStruct.pointee
        id = ProtobufCField.string(c.id)
        displayName = ProtobufCField.string(c.display_name)
        ideKind = V1IDEKind(c.ide_kind)
        images = ProtobufCField.messages(c.images, count: c.n_images, V1PresetImage.init(cStruct:))
        podSizes = ProtobufCField.messages(c.pod_sizes, count: c.n_pod_sizes, V1PodSize.init(cStruct:))
        defaultPodSize = ProtobufCField.string(c.default_pod_size)
        command = ProtobufCField.strings(c.command, count: c.n_command)
        defaultHomeVolumeBytes = c.default_home_volume_bytes
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__Preset> {
        let message = arena.allocate(Sessiongw__V1__Preset.self)
        sessiongw__v1__preset__init(message)
        message.pointee.id = arena.string(id)
        message.pointee.display_name = arena.string(displayName)
        message.pointee.ide_kind = ideKind.cValue
        message.pointee.n_images = images.count
        message.pointee.images = arena.messages(images) { $0.cStruct(in: arena) }
        message.pointee.n_pod_sizes = podSizes.count
        message.pointee.pod_sizes = arena.messages(podSizes) { $0.cStruct(in: arena) }
        message.pointee.default_pod_size = arena.string(defaultPodSize)
        message.pointee.n_command = command.count
        message.pointee.command = arena.strings(command)
        message.pointee.default_home_volume_bytes = defaultHomeVolumeBytes
        return message
    }
}
