package import CProtobufC
package import CProtos
package import RPCTransport

/// What a caller asks for: everything that defines a session. Two CreateSession
/// requests with the same workspace, name and spec are the same request.
///
/// The `sessiongw.v1.SessionSpec` message.
public struct V1SessionSpec: Sendable, Hashable {
    /// The preset's id (see CatalogService.ListPresets). Required.
    public var preset: String
    /// The image's name in the preset's catalog. Required.
    public var image: String
    /// The pod size's name in the preset's catalog; empty for the preset's default.
    public var podSize: String
    /// Resources that override the pod size's; absent to use the pod size's.
    public var resources: V1Resources?
    /// The compute environment's id (see CatalogService.ListComputeEnvironments).
    /// Required.
    public var computeEnvironment: String
    /// The compute pool (partition, queue, node pool); empty for the environment's
    /// default.
    public var computePool: String
    /// Environment variables; names are unique.
    public var env: [V1EnvVar]
    /// The home volume; absent for a new volume of the preset's default size (5 GiB
    /// unless the preset says otherwise).
    public var homeVolume: V1HomeVolume?
    /// Extra volumes; mount paths are unique.
    public var dataVolumes: [V1DataVolume]
    /// The ids of the data-links to mount at /workspace/data/<name>; unique.
    public var dataLinkIDs: [String]
    /// Labels for filtering (see SessionFilter.labels).
    public var labels: [String: String]
    /// How long the session may run before it is paused, in seconds; 0 for no limit.
    public var durationLimitSeconds: Int64

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        preset: String = "",
        image: String = "",
        podSize: String = "",
        resources: V1Resources? = nil,
        computeEnvironment: String = "",
        computePool: String = "",
        env: [V1EnvVar] = [],
        homeVolume: V1HomeVolume? = nil,
        dataVolumes: [V1DataVolume] = [],
        dataLinkIDs: [String] = [],
        labels: [String: String] = [:],
        durationLimitSeconds: Int64 = 0
    ) {
        self.preset = preset
        self.image = image
        self.podSize = podSize
        self.resources = resources
        self.computeEnvironment = computeEnvironment
        self.computePool = computePool
        self.env = env
        self.homeVolume = homeVolume
        self.dataVolumes = dataVolumes
        self.dataLinkIDs = dataLinkIDs
        self.labels = labels
        self.durationLimitSeconds = durationLimitSeconds
    }
}

extension V1SessionSpec: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__session_spec__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__SessionSpec>) {
        let c = cStruct.pointee
        preset = ProtobufCField.string(c.preset)
        image = ProtobufCField.string(c.image)
        podSize = ProtobufCField.string(c.pod_size)
        resources = c.resources.map(V1Resources.init(cStruct:))
        computeEnvironment = ProtobufCField.string(c.compute_environment)
        computePool = ProtobufCField.string(c.compute_pool)
        env = ProtobufCField.messages(c.env, count: c.n_env, V1EnvVar.init(cStruct:))
        homeVolume = c.home_volume.map(V1HomeVolume.init(cStruct:))
        dataVolumes = ProtobufCField.messages(c.data_volumes, count: c.n_data_volumes, V1DataVolume.init(cStruct:))
        dataLinkIDs = ProtobufCField.strings(c.data_link_ids, count: c.n_data_link_ids)
        labels = ProtobufCField.stringMap(c.labels, count: c.n_labels, key: \.key, value: \.value)
        durationLimitSeconds = c.duration_limit_seconds
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__SessionSpec> {
        let message = arena.allocate(Sessiongw__V1__SessionSpec.self)
        sessiongw__v1__session_spec__init(message)
        message.pointee.preset = arena.string(preset)
        message.pointee.image = arena.string(image)
        message.pointee.pod_size = arena.string(podSize)
        message.pointee.resources = resources?.cStruct(in: arena)
        message.pointee.compute_environment = arena.string(computeEnvironment)
        message.pointee.compute_pool = arena.string(computePool)
        message.pointee.n_env = env.count
        message.pointee.env = arena.messages(env) { $0.cStruct(in: arena) }
        message.pointee.home_volume = homeVolume?.cStruct(in: arena)
        message.pointee.n_data_volumes = dataVolumes.count
        message.pointee.data_volumes = arena.messages(dataVolumes) { $0.cStruct(in: arena) }
        message.pointee.n_data_link_ids = dataLinkIDs.count
        message.pointee.data_link_ids = arena.strings(dataLinkIDs)
        message.pointee.n_labels = labels.count
        message.pointee.labels = arena.stringMap(
            labels, initializedBy: sessiongw__v1__session_spec__labels_entry__init, key: \.key, value: \.value)
        message.pointee.duration_limit_seconds = durationLimitSeconds
        return message
    }
}
