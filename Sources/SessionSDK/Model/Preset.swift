/// An admin-defined template sessions are made from: the IDE, the images it offers
/// and the pod sizes to choose from.
public struct Preset: Hashable, Sendable, Identifiable {
    /// The kind of interactive environment.
    public enum IDEKind: String, Hashable, Sendable, CaseIterable {
        /// JupyterLab notebooks.
        case jupyterLab = "JUPYTERLAB"
        /// VS Code in the browser.
        case vsCode = "VSCODE"
        /// RStudio.
        case rStudio = "RSTUDIO"
        /// A persistent terminal.
        case terminal = "TERMINAL"
    }

    /// One image of the catalog.
    public struct Image: Hashable, Sendable {
        /// How an image is offered, as users know the tags.
        public enum Tag: String, Hashable, Sendable, CaseIterable {
            /// Use this for new sessions.
            case recommended = "RECOMMENDED"
            /// Still works; an older version.
            case deprecated = "DEPRECATED"
            /// Temporary; not supported in production.
            case experimental = "EXPERIMENTAL"
        }

        /// The name people pick, such as `pytorch`.
        public var name: String
        /// The image reference or, on backends without containers, the environment.
        public var reference: String
        /// Its tag.
        public var tag: Tag

        /// Creates a catalog image.
        public init(name: String, reference: String, tag: Tag) {
            self.name = name
            self.reference = reference
            self.tag = tag
        }
    }

    /// A compute shape of the catalog, such as "small".
    public struct PodSize: Hashable, Sendable {
        /// The name people pick.
        public var name: String
        /// What it gives.
        public var resources: Resources

        /// Creates a pod size.
        public init(name: String, resources: Resources) {
            self.name = name
            self.resources = resources
        }
    }

    /// The preset's name, unique on the gateway.
    public var id: String
    /// What people read.
    public var displayName: String
    /// The IDE it starts.
    public var ideKind: IDEKind
    /// The images offered.
    public var images: [Image]
    /// The compute shapes offered.
    public var podSizes: [PodSize]
    /// The pod size chosen when a request names none.
    public var defaultPodSize: String
    /// The command the session runs; it must serve the IDE on `$SESSION_PORT`.
    public var command: [String]
    /// The size of a new home volume when a request gives none (5 GiB by default).
    public var defaultHomeVolumeBytes: Int64
    /// Whether the IDE serves under a base URL path, `$SESSION_BASE_URL` (as JupyterLab's
    /// `--ServerApp.base_url` does), rather than at `/`. The gateway then sets the
    /// variable to the session's path on the connection proxy (`/sessions/W/S/`, or `/`
    /// where sessions have hosts of their own), and backends put it in the session's
    /// connection URL.
    public var usesBaseURL: Bool = false

    /// The variable that tells an IDE serving under a base URL path where that is
    /// (``usesBaseURL``): `SESSION_BASE_URL`, such as `/sessions/default/s-1/`.
    public static let baseURLVariable = "SESSION_BASE_URL"

    /// The path a session's IDE serves under, for its connection URL: the environment's
    /// ``baseURLVariable`` when it is an absolute path other than `/` that ends in `/`
    /// and holds no query; nil when the IDE serves at `/`.
    public static func basePath(in environment: [String: String]) -> String? {
        guard let path = environment[baseURLVariable], path.hasPrefix("/"), path.hasSuffix("/"), path != "/",
              !path.contains("?"), !path.contains("#")
        else { return nil }
        return path
    }

    /// Creates a preset.
    public init(
        id: String, displayName: String, ideKind: IDEKind, images: [Image], podSizes: [PodSize],
        defaultPodSize: String, command: [String], defaultHomeVolumeBytes: Int64 = 5 << 30
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

    /// The image with this name, if offered.
    public func image(named name: String) -> Image? { images.first { $0.name == name } }

    /// The pod size with this name, if offered.
    public func podSize(named name: String) -> PodSize? { podSizes.first { $0.name == name } }
}
