import Synchronization

/// Spaces calls to slurmctld: at most one every `spacing`, across every session of a
/// provider, so a burst of operations cannot flood the controller.
final class RequestPacer: Sendable {
    private let spacing: Duration
    private let next = Mutex<ContinuousClock.Instant?>(nil)

    /// Creates a pacer allowing one call per `spacing`.
    init(spacing: Duration) {
        self.spacing = spacing
    }

    /// Waits for this call's turn.
    func waitForTurn() async {
        let clock = ContinuousClock()
        let slot = next.withLock { next -> ContinuousClock.Instant in
            let now = clock.now
            let slot = max(now, next ?? now)
            next = slot.advanced(by: spacing)
            return slot
        }
        if slot > clock.now { try? await clock.sleep(until: slot) }
    }
}
