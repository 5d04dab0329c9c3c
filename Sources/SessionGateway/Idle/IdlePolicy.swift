/// When a running session counts as idle, and whether the gateway pauses it then: the
/// gateway-wide defaults, which a workspace and then a preset may override field by
/// field (``Override``).
///
/// ```yaml
/// idle:
///   after: 1h             # quiet this long is idle
///   cullAfter: 8h         # quiet this long is paused (with a checkpoint); off by default
///   cpuThreshold: 0.1     # CPUs; less is quiet
///   gpuThreshold: 5       # percent of any GPU; less is quiet
///   signals: [cpu, connections, ide, terminal]   # default: gpu alone where the session has GPUs
///   workspaces:
///     - {workspace: lab, cullAfter: 2h}
/// presets:
///   - id: notebook
///     idle: {cullAfter: never}
/// ```
public struct IdlePolicy: Hashable, Sendable {
    /// How long every signal must be quiet for the session to be idle, in seconds.
    public var after: Double
    /// How long every signal must be quiet before the gateway pauses the session, in
    /// seconds; nil never pauses it.
    public var cullAfter: Double?
    /// CPUs (1.5: one and a half) the session's processes must use to count as active.
    public var cpuThreshold: Double
    /// Percent utilization any of its GPUs must reach to count as active.
    public var gpuThreshold: Double
    /// The signals it is judged by; nil takes ``IdleSignal/defaults(hasGPU:)``.
    public var signals: Set<IdleSignal>?

    /// Creates a policy; by default idle after an hour, never culled, 0.1 CPUs and 5 %
    /// of a GPU.
    public init(
        after: Double = 3600, cullAfter: Double? = nil, cpuThreshold: Double = 0.1, gpuThreshold: Double = 5,
        signals: Set<IdleSignal>? = nil
    ) {
        self.after = after
        self.cullAfter = cullAfter
        self.cpuThreshold = cpuThreshold
        self.gpuThreshold = gpuThreshold
        self.signals = signals
    }

    /// The fields a workspace or a preset sets; those it leaves nil keep the policy's.
    public struct Override: Hashable, Sendable {
        /// Overrides ``IdlePolicy/after``.
        public var after: Double?
        /// Overrides ``IdlePolicy/cullAfter``: `.some(nil)` turns culling off.
        public var cullAfter: Double??
        /// Overrides ``IdlePolicy/cpuThreshold``.
        public var cpuThreshold: Double?
        /// Overrides ``IdlePolicy/gpuThreshold``.
        public var gpuThreshold: Double?
        /// Overrides ``IdlePolicy/signals``.
        public var signals: Set<IdleSignal>?

        /// Creates an override.
        public init(
            after: Double? = nil, cullAfter: Double?? = nil, cpuThreshold: Double? = nil, gpuThreshold: Double? = nil,
            signals: Set<IdleSignal>? = nil
        ) {
            self.after = after
            self.cullAfter = cullAfter
            self.cpuThreshold = cpuThreshold
            self.gpuThreshold = gpuThreshold
            self.signals = signals
        }
    }

    /// This policy with `override`'s fields in place of its own.
    public func overridden(by override: Override?) -> IdlePolicy {
        guard let override else { return self }
        var policy = self
        if let after = override.after { policy.after = after }
        if let cullAfter = override.cullAfter { policy.cullAfter = cullAfter }
        if let threshold = override.cpuThreshold { policy.cpuThreshold = threshold }
        if let threshold = override.gpuThreshold { policy.gpuThreshold = threshold }
        if let signals = override.signals { policy.signals = signals }
        return policy
    }
}
