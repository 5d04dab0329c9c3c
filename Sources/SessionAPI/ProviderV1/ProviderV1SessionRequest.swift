package import CProtobufC
package import CProtos
package import RPCTransport

/// Everything a provider needs to start a session, resolved by the gateway: the
/// image, command and resources from the preset, secrets' values, mounts' paths.
///
/// The `sessiongw.provider.v1.SessionRequest` message.
public struct ProviderV1SessionRequest: Sendable, Hashable {
    /// The session's id; the provider marks every resource it creates with it.
    public var sessionID: String
    /// The session's workspace.
    public var workspace: String
    /// The session's name.
    public var name: String
    /// The preset's IDE kind.
    public var ideKind: V1IDEKind
    /// The image reference.
    public var image: String
    /// The command to run, as argv; it serves the IDE on $SESSION_PORT.
    public var command: [String]
    /// The compute.
    public var resources: V1Resources?
    /// The pool; empty for the backend's default.
    public var computePool: String
    /// Environment variables with secret values resolved. The provider must not log
    /// the values of the names listed in `secret_names`.
    public var env: [String: String]
    /// The names of the variables in `env` whose values are secrets.
    public var secretNames: [String]
    /// The home volume.
    public var homeVolume: V1HomeVolume?
    /// Extra volumes.
    public var dataVolumes: [V1DataVolume]
    /// Data-links with their mount paths (/workspace/data/<name>) and access set.
    public var dataLinks: [V1DataLink]
    /// How long the session may run, in seconds; 0 for no limit.
    public var durationLimitSeconds: Int64
    /// The checkpoint to start from, for clones; absent otherwise.
    public var restoreFrom: ProviderV1Checkpoint?

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        sessionID: String = "",
        workspace: String = "",
        name: String = "",
        ideKind: V1IDEKind = .unspecified,
        image: String = "",
        command: [String] = [],
        resources: V1Resources? = nil,
        computePool: String = "",
        env: [String: String] = [:],
        secretNames: [String] = [],
        homeVolume: V1HomeVolume? = nil,
        dataVolumes: [V1DataVolume] = [],
        dataLinks: [V1DataLink] = [],
        durationLimitSeconds: Int64 = 0,
        restoreFrom: ProviderV1Checkpoint? = nil
    ) {
        self.sessionID = sessionID
        self.workspace = workspace
        self.name = name
        self.ideKind = ideKind
        self.image = image
        self.command = command
        self.resources = resources
        self.computePool = computePool
        self.env = env
        self.secretNames = secretNames
        self.homeVolume = homeVolume
        self.dataVolumes = dataVolumes
        self.dataLinks = dataLinks
        self.durationLimitSeconds = durationLimitSeconds
        self.restoreFrom = restoreFrom
    }
}

extension ProviderV1SessionRequest: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__provider__v1__session_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__Provider__V1__SessionRequest>) {
        let c = cStruct.pointee
        sessionID = ProtobufCField.string(c.session_id)
        workspace = ProtobufCField.string(c.workspace)
        name = ProtobufCField.string(c.name)
        ideKind = V1IDEKind(c.ide_kind)
        image = ProtobufCField.string(c.image)
        command = ProtobufCField.strings(c.command, count: c.n_command)
        resources = c.resources.map(V1Resources.init(cStruct:))
        computePool = ProtobufCField.string(c.compute_pool)
        env = ProtobufCField.stringMap(c.env, count: c.n_env, key: \.key, value: \.value)
        secretNames = ProtobufCField.strings(c.secret_names, count: c.n_secret_names)
        homeVolume = c.home_volume.map(V1HomeVolume.init(cStruct:))
        dataVolumes = ProtobufCField.messages(c.data_volumes, count: c.n_data_volumes, V1DataVolume.init(cStruct:))
        dataLinks = ProtobufCField.messages(c.data_links, count: c.n_data_links, V1DataLink.init(cStruct:))
        durationLimitSeconds = c.duration_limit_seconds
        restoreFrom = c.restore_from.map(ProviderV1Checkpoint.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__Provider__V1__SessionRequest> {
        let message = arena.allocate(Sessiongw__Provider__V1__SessionRequest.self)
        sessiongw__provider__v1__session_request__init(message)
        message.pointee.session_id = arena.string(sessionID)
        message.pointee.workspace = arena.string(workspace)
        message.pointee.name = arena.string(name)
        message.pointee.ide_kind = ideKind.cValue
        message.pointee.image = arena.string(image)
        message.pointee.n_command = command.count
        message.pointee.command = arena.strings(command)
        message.pointee.resources = resources?.cStruct(in: arena)
        message.pointee.compute_pool = arena.string(computePool)
        message.pointee.n_env = env.count
        message.pointee.env = arena.stringMap(
            env, initializedBy: sessiongw__provider__v1__session_request__env_entry__init, key: \.key, value: \.value)
        message.pointee.n_secret_names = secretNames.count
        message.pointee.secret_names = arena.strings(secretNames)
        message.pointee.home_volume = homeVolume?.cStruct(in: arena)
        message.pointee.n_data_volumes = dataVolumes.count
        message.pointee.data_volumes = arena.messages(dataVolumes) { $0.cStruct(in: arena) }
        message.pointee.n_data_links = dataLinks.count
        message.pointee.data_links = arena.messages(dataLinks) { $0.cStruct(in: arena) }
        message.pointee.duration_limit_seconds = durationLimitSeconds
        message.pointee.restore_from = restoreFrom?.cStruct(in: arena)
        return message
    }
}
