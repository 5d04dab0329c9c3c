/// Something a provider may support. Callers check a provider's capabilities before
/// relying on the matching requirements; a provider without a capability throws
/// `UNIMPLEMENTED` from them.
///
/// Extensible: new capabilities are new static values; unknown ones from an
/// out-of-process provider are kept as they are.
public struct ProviderCapability: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The capability's stable name, such as `PAUSE_RESUME`.
    public let rawValue: String
    /// Wraps a capability name.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The name.
    public var description: String { rawValue }

    /// Pause releases compute and keeps storage; resume brings the session back.
    public static let pauseResume = ProviderCapability(rawValue: "PAUSE_RESUME")
    /// Checkpoints of the session's filesystem can be taken and listed.
    public static let checkpoints = ProviderCapability(rawValue: "CHECKPOINTS")
    /// New sessions can start from a checkpoint.
    public static let clone = ProviderCapability(rawValue: "CLONE")
    /// Data-links are mounted at `/workspace/data/<name>`.
    public static let dataLinks = ProviderCapability(rawValue: "DATA_LINKS")
    /// GPUs can be requested.
    public static let gpus = ProviderCapability(rawValue: "GPUS")
    /// State changes are pushed by ``SessionProvider/watchSessions()``.
    public static let watch = ProviderCapability(rawValue: "WATCH")
    /// Existing volumes can be mounted as home or data volumes.
    public static let existingVolumes = ProviderCapability(rawValue: "EXISTING_VOLUMES")
    /// Files can be read and written inside a session through
    /// ``SessionProvider/execute(_:in:)`` (used by conformance checks).
    public static let execute = ProviderCapability(rawValue: "EXECUTE")
    /// The backend runs the session agent (`sessiongw-agent`) as the supervisor of the
    /// session's command when the request carries an agent token, and reports the
    /// agent's address in the session's connection: the session has named terminals.
    public static let terminals = ProviderCapability(rawValue: "TERMINALS")
    /// The backend builds custom environments: a request's
    /// ``ProviderSessionRequest/packages`` are installed on top of its image before
    /// the command starts, builds are cached by image and packages, and
    /// ``SessionProvider/buildLog(_:from:)`` returns a build's output.
    public static let environmentBuilds = ProviderCapability(rawValue: "ENVIRONMENT_BUILDS")
    /// A new home is a filesystem of its own of the request's home size, so writes past
    /// it fail with "no space left on device"; ``SessionProvider/resizeHome(_:toBytes:)``
    /// grows or shrinks it while the session runs, and a resume sizes it to the
    /// request's home size (never below what it holds). The gateway grows homes as they
    /// fill, within the compute environment's disk limit.
    public static let growingHome = ProviderCapability(rawValue: "GROWING_HOME")
    /// A new home is a directory on elastic storage (such as EFS) with no size of its
    /// own, so writes never fail for space: the session agent measures what the home
    /// holds (``SessionAgentLaunch/DiskUsage/directory``), and the gateway enforces the
    /// compute environment's disk limit from that measure. The request's home size is
    /// the home's share of the limit, which the gateway raises as the home fills; a
    /// session that holds more than it can have is paused after a grace period.
    /// ``SessionProvider/resizeHome(_:toBytes:)`` is not called for such homes.
    public static let elasticHome = ProviderCapability(rawValue: "ELASTIC_HOME")

    /// Every capability this SDK version defines.
    public static let known: Set<ProviderCapability> = [
        .pauseResume, .checkpoints, .clone, .dataLinks, .gpus, .watch, .existingVolumes, .execute, .terminals, .environmentBuilds, .growingHome,
        .elasticHome,
    ]
}
