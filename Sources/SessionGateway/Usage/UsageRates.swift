/// What one session costs per hour, as its compute environment's ``Pricing`` says for
/// its pod size and home volume: compute while it holds compute, storage while it is
/// kept.
public struct UsageRates: Hashable, Sendable {
    /// The currency; empty when the environment has no prices.
    public var currency: String
    /// Per hour while the session holds compute (STARTING, RUNNING, PAUSING).
    public var compute: Double
    /// Per hour from creation until deletion.
    public var storage: Double

    /// Creates rates.
    public init(currency: String, compute: Double, storage: Double) {
        self.currency = currency
        self.compute = compute
        self.storage = storage
    }

    /// An environment without prices: time is still metered, at no cost.
    public static let free = UsageRates(currency: "", compute: 0, storage: 0)
}
