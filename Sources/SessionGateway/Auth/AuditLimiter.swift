internal import Synchronization

/// Bounds what refused calls can write to the audit trail: a caller with a valid
/// credential but no right to act could otherwise grow the store as fast as it can
/// send. Each caller may have at most `burst` refused calls recorded per `window`;
/// the rest are counted, and the count is recorded with the next entry that is let in.
///
/// Memory is bounded too: callers whose window has passed are forgotten once more than
/// `maxCallers` are tracked.
final class AuditLimiter: Sendable {
    /// What to do with one refused call's entry.
    enum Decision: Equatable {
        /// Record it; `suppressedBefore` refused calls of this caller were not recorded since the last.
        case record(suppressedBefore: Int)
        /// Do not record it.
        case drop
    }

    private struct Allowance {
        var windowStart: Double
        var recorded: Int
        var suppressed: Int
    }

    let burst: Int
    let window: Double
    let maxCallers: Int
    private let allowances = Mutex<[String: Allowance]>([:])

    /// Creates a limiter: `burst` entries per caller per `window` seconds.
    init(burst: Int = 5, window: Double = 60, maxCallers: Int = 10_000) {
        self.burst = burst
        self.window = window
        self.maxCallers = maxCallers
    }

    /// Whether a refused call of `caller` at `now` is recorded.
    func admit(_ caller: String, now: Double) -> Decision {
        allowances.withLock { allowances in
            if allowances.count > maxCallers {
                allowances = allowances.filter { now - $0.value.windowStart < window }
            }
            var allowance = allowances[caller] ?? Allowance(windowStart: now, recorded: 0, suppressed: 0)
            if now - allowance.windowStart >= window {
                allowance.windowStart = now
                allowance.recorded = 0
            }
            let decision: Decision
            if allowance.recorded < burst {
                allowance.recorded += 1
                decision = .record(suppressedBefore: allowance.suppressed)
                allowance.suppressed = 0
            } else {
                allowance.suppressed += 1
                decision = .drop
            }
            allowances[caller] = allowance
            return decision
        }
    }
}
