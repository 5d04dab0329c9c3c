/// What a session has cost since it was created, and what it costs now, from its
/// metered intervals (``UsageMeter``).
public struct SessionCost: Hashable, Sendable {
    /// The currency; empty when its environment has no prices.
    public var currency: String
    /// Per hour now: storage, and compute while it is held.
    public var hourlyRate: Double
    /// Spent since creation.
    public var accumulated: Double
    /// How long it has held compute, in seconds.
    public var computeHeldSeconds: Double

    /// Creates a cost.
    public init(currency: String, hourlyRate: Double, accumulated: Double, computeHeldSeconds: Double) {
        self.currency = currency
        self.hourlyRate = hourlyRate
        self.accumulated = accumulated
        self.computeHeldSeconds = computeHeldSeconds
    }

    /// Nothing metered.
    public static let none = SessionCost(currency: "", hourlyRate: 0, accumulated: 0, computeHeldSeconds: 0)
}
