/// What a caller asks for: everything that defines a session. Two create requests
/// with the same workspace, name and spec are the same request.
public struct SessionSpec: Hashable, Sendable, Codable {
    /// An environment variable: a plain value, or a reference to a secret whose value
    /// the gateway resolves and never returns or logs.
    public struct EnvironmentVariable: Hashable, Sendable, Codable {
        /// The value or its source.
        public enum Value: Hashable, Sendable, Codable {
            /// A plain value.
            case plain(String)
            /// The name of a secret in the workspace's secret store.
            case secret(String)
        }

        /// The variable's name.
        public var name: String
        /// Its value or source.
        public var value: Value

        /// Creates a variable.
        public init(name: String, value: Value) {
            self.name = name
            self.value = value
        }
    }

    /// The home volume: a new one of a size, or an existing claim.
    public enum HomeVolume: Hashable, Sendable, Codable {
        /// A new volume of this many bytes (5 GiB when the preset says nothing).
        case new(sizeBytes: Int64)
        /// An existing volume or claim, by name.
        case existing(String)
    }

    /// An extra volume mounted in the session.
    public struct DataVolume: Hashable, Sendable, Codable {
        /// The existing volume or claim.
        public var source: String
        /// Where it appears in the session.
        public var mountPath: String
        /// Whether writes are refused.
        public var readOnly: Bool

        /// Creates a data volume.
        public init(source: String, mountPath: String, readOnly: Bool) {
            self.source = source
            self.mountPath = mountPath
            self.readOnly = readOnly
        }
    }

    /// The preset's id.
    public var preset: String
    /// The image's name in the preset's catalog.
    public var image: String
    /// The pod size's name in the preset's catalog; the preset's default when empty.
    public var podSize: String
    /// Resources that override the pod size's, when set.
    public var resources: Resources?
    /// The compute environment's id.
    public var computeEnvironment: String
    /// The pool; the environment's default when empty.
    public var computePool: String
    /// Environment variables.
    public var environment: [EnvironmentVariable]
    /// The home volume.
    public var homeVolume: HomeVolume
    /// Extra volumes.
    public var dataVolumes: [DataVolume]
    /// The ids of the data-links to mount.
    public var dataLinks: [String]
    /// Labels for filtering.
    public var labels: [String: String]
    /// How long the session may run before it is paused; nil for no limit.
    public var durationLimit: Duration?
    /// Whether the session gets its workspace's secret bundle (the secrets with an
    /// environment variable); true unless the spec opts out.
    public var inheritsWorkspaceSecrets = true
    /// The workspace configurations to apply besides those on by default.
    public var configurations: [String] = []
    /// The configurations on by default to leave out.
    public var excludedConfigurations: [String] = []
    /// Packages to install on top of the image (pip requirement specifiers, see
    /// ``PackageRequirement``): the session's custom environment, built before it
    /// starts (BUILDING) and cached by image and packages. Empty for the image as it is.
    public var packages: [String] = []

    /// Creates a spec.
    public init(
        preset: String, image: String, podSize: String = "", resources: Resources? = nil,
        computeEnvironment: String, computePool: String = "", environment: [EnvironmentVariable] = [],
        homeVolume: HomeVolume = .new(sizeBytes: 5 << 30), dataVolumes: [DataVolume] = [],
        dataLinks: [String] = [], labels: [String: String] = [:], durationLimit: Duration? = nil
    ) {
        self.preset = preset
        self.image = image
        self.podSize = podSize
        self.resources = resources
        self.computeEnvironment = computeEnvironment
        self.computePool = computePool
        self.environment = environment
        self.homeVolume = homeVolume
        self.dataVolumes = dataVolumes
        self.dataLinks = dataLinks
        self.labels = labels
        self.durationLimit = durationLimit
    }
}
