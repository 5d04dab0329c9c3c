public import SessionSDK

/// What one look at a running session saw, for ``IdleTracker``: its latest utilization
/// sample and when each of the other signals last showed activity, as far as this look
/// can tell (nil: nothing seen).
public struct IdleObservation: Hashable, Sendable {
    /// When the look was taken, in seconds since 1970.
    public var time: Double
    /// The agent's latest sample: CPU and GPU.
    public var sample: UtilizationSample?
    /// When a user connected through the proxy was last seen (now while connected).
    public var connectionsActiveAt: Double?
    /// When the IDE last did something: now while a kernel is busy, else its kernels'
    /// and Jupyter terminals' last activity.
    public var ideActiveAt: Double?
    /// When someone last typed into or attached to one of its terminals.
    public var terminalActiveAt: Double?

    /// Creates an observation.
    public init(
        time: Double, sample: UtilizationSample? = nil, connectionsActiveAt: Double? = nil, ideActiveAt: Double? = nil,
        terminalActiveAt: Double? = nil
    ) {
        self.time = time
        self.sample = sample
        self.connectionsActiveAt = connectionsActiveAt
        self.ideActiveAt = ideActiveAt
        self.terminalActiveAt = terminalActiveAt
    }
}
