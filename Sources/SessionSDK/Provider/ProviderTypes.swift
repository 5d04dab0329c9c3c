/// A provider's name and version.
public struct ProviderIdentity: Hashable, Sendable {
    /// A lower-case name such as `local` or `slurm`: letters, digits, `-` and `.`.
    public var name: String
    /// A semantic version such as `1.2.0`.
    public var version: String

    /// Creates an identity.
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}

/// Whether a provider can take work.
public struct ProviderReadiness: Hashable, Sendable {
    /// True when calls can be made.
    public var ready: Bool
    /// Why not, or what it is connected to.
    public var message: String

    /// Creates a readiness report.
    public init(ready: Bool, message: String) {
        self.ready = ready
        self.message = message
    }
}

/// Everything a provider needs to start a session, resolved by the gateway: the
/// image, command and resources from the preset, secrets' values, mounts' paths.
public struct ProviderSessionRequest: Hashable, Sendable {
    /// The session's id; a provider marks every resource it creates with it.
    public var sessionID: SessionID
    /// The workspace.
    public var workspace: WorkspaceID
    /// The session's name.
    public var name: String
    /// The preset's IDE kind.
    public var ideKind: Preset.IDEKind
    /// The image reference.
    public var image: String
    /// The command to run; it serves the IDE on `$SESSION_PORT`.
    public var command: [String]
    /// The compute.
    public var resources: Resources
    /// The pool; empty for the backend's default.
    public var computePool: String
    /// Environment variables with secret values resolved; providers must not log
    /// the values of names listed in ``secretNames``.
    public var environment: [String: String]
    /// The names of variables whose values are secrets.
    public var secretNames: Set<String>
    /// The home volume.
    public var homeVolume: SessionSpec.HomeVolume
    /// Extra volumes.
    public var dataVolumes: [SessionSpec.DataVolume]
    /// Data-links with their mount paths and access.
    public var dataLinks: [DataLinkMount]
    /// How long the session may run; nil for no limit.
    public var durationLimit: Duration?
    /// The checkpoint to start from, for clones.
    public var restoreFrom: Checkpoint?
    /// Packages to install on top of the image before the command starts, valid
    /// ``PackageRequirement``s in canonical order; empty for the image as it is. Only
    /// with ``ProviderCapability/environmentBuilds``: the provider reports BUILDING
    /// while it builds, BUILD_FAILED (naming the package when it can) when the build
    /// fails, and keeps the build's log for ``SessionProvider/buildLog(_:from:)``.
    public var packages: [String] = []
    /// The spec the session was created with (or last updated to), as the caller gave
    /// it: the fields above are its resolution against the preset and the compute
    /// environment, and win where both say something. Read here what needs no
    /// resolution, such as the labels. Nil when the caller of the provider sent none
    /// (the conformance kit's requests).
    public var spec: SessionSpec?
    /// The session's agent token, when the gateway runs the session agent
    /// (``ProviderCapability/terminals``): the backend hands it to `sessiongw-agent`,
    /// which takes calls that carry it (`authorization: Bearer TOKEN`). It opens this
    /// session's agent and no other. A secret: never logged, never stored by the
    /// backend where other sessions can read it. Nil runs the command without an agent.
    public var agentToken: String?

    /// Creates a request.
    public init(
        sessionID: SessionID, workspace: WorkspaceID, name: String, ideKind: Preset.IDEKind, image: String,
        command: [String], resources: Resources, computePool: String = "", environment: [String: String] = [:],
        secretNames: Set<String> = [], homeVolume: SessionSpec.HomeVolume = .new(sizeBytes: 5 << 30),
        dataVolumes: [SessionSpec.DataVolume] = [], dataLinks: [DataLinkMount] = [], durationLimit: Duration? = nil,
        restoreFrom: Checkpoint? = nil, spec: SessionSpec? = nil, agentToken: String? = nil, packages: [String] = []
    ) {
        self.sessionID = sessionID
        self.workspace = workspace
        self.name = name
        self.ideKind = ideKind
        self.image = image
        self.command = command
        self.resources = resources
        self.computePool = computePool
        self.environment = environment
        self.secretNames = secretNames
        self.homeVolume = homeVolume
        self.dataVolumes = dataVolumes
        self.dataLinks = dataLinks
        self.durationLimit = durationLimit
        self.restoreFrom = restoreFrom
        self.spec = spec
        self.agentToken = agentToken
        self.packages = packages
    }
}

/// What a provider observes of one session.
public struct ProviderSessionStatus: Hashable, Sendable {
    /// The session.
    public var sessionID: SessionID
    /// The provider's handle for it.
    public var handle: SessionHandle
    /// The canonical state the backend's native state maps to.
    public var state: SessionState
    /// Why, for people: queue reason, failure with exit code, progress.
    public var reason: String
    /// How to reach the IDE, once it serves.
    public var connection: Session.Connection?
    /// Time left before the duration limit, when there is one.
    public var timeLeft: Duration?

    /// Creates a status.
    public init(
        sessionID: SessionID, handle: SessionHandle, state: SessionState, reason: String = "",
        connection: Session.Connection? = nil, timeLeft: Duration? = nil
    ) {
        self.sessionID = sessionID
        self.handle = handle
        self.state = state
        self.reason = reason
        self.connection = connection
        self.timeLeft = timeLeft
    }
}

/// The result of running a command inside a session.
public struct ExecutionResult: Hashable, Sendable {
    /// The command's exit status.
    public var exitCode: Int32
    /// What it wrote to standard output.
    public var output: String
    /// What it wrote to standard error.
    public var errorOutput: String

    /// Creates a result.
    public init(exitCode: Int32, output: String, errorOutput: String) {
        self.exitCode = exitCode
        self.output = output
        self.errorOutput = errorOutput
    }
}
