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

    /// Every capability this SDK version defines.
    public static let known: Set<ProviderCapability> = [
        .pauseResume, .checkpoints, .clone, .dataLinks, .gpus, .watch, .existingVolumes, .execute, .terminals, .environmentBuilds,
    ]
}
