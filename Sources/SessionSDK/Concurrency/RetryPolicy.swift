/// How a backend retries calls that may succeed later (throttling, 5xx answers,
/// conflicts, failed connections): how many attempts, and exponential back-off with
/// full jitter between them.
///
/// ```swift
/// let policy = RetryPolicy(maxAttempts: 5)
/// try await Task.sleep(for: policy.delay(afterAttempt: 1))   // up to 100 ms
/// ```
public struct RetryPolicy: Hashable, Sendable {
    /// Attempts in all, the first included. Default 5.
    public var maxAttempts: Int
    /// The first back-off's upper bound; doubled per attempt. Default 100 ms.
    public var baseDelay: Duration
    /// The largest back-off (and the most a server's `Retry-After` is honoured). Default 5 s.
    public var maxDelay: Duration

    /// Creates a policy.
    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(5)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// A random delay up to `min(maxDelay, baseDelay · 2^(attempt-1))` ("full jitter"),
    /// so that many clients backing off at once spread their retries.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let ceiling = min(maxDelay, baseDelay * (1 << min(max(attempt - 1, 0), 20)))
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        return .nanoseconds(Int64.random(in: 0...max(1, nanoseconds)))
    }
}
