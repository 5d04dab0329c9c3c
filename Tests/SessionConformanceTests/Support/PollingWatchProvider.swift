import SessionSDK
import Synchronization

/// A provider that adds ``ProviderCapability/watch`` to one without it, by polling
/// `listSessions`: a new watch first yields every session's current state, then each
/// change it sees. It lets the watch cases (and the `watchOutOfOrder` fault) run
/// against the Local backend.
final class PollingWatchProvider: DelegatingSessionProvider {
    let base: any SessionProvider
    let interval: Duration

    init(_ base: any SessionProvider, interval: Duration = .milliseconds(20)) {
        self.base = base
        self.interval = interval
    }

    var capabilities: Set<ProviderCapability> { base.capabilities.union([.watch]) }

    /// Polls as the consumer reads; ends when the consumer is cancelled.
    func watchSessions() -> AsyncThrowingStream<ProviderSessionStatus, any Error> {
        let poller = Poller(provider: base, interval: interval)
        return AsyncThrowingStream { try await poller.next() }
    }

    /// The last state seen of each session and the changes not yet yielded.
    private final class Poller: Sendable {
        private struct State {
            var seen: [SessionHandle: SessionState] = [:]
            var queue: [ProviderSessionStatus] = []
        }

        let provider: any SessionProvider
        let interval: Duration
        private let state = Mutex(State())

        init(provider: any SessionProvider, interval: Duration) {
            self.provider = provider
            self.interval = interval
        }

        func next() async throws -> ProviderSessionStatus? {
            while true {
                let queued = state.withLock { state in state.queue.isEmpty ? nil : state.queue.removeFirst() }
                if let queued { return queued }
                let statuses = try await provider.listSessions()
                let found = state.withLock { state in
                    for status in statuses where state.seen[status.handle] != status.state {
                        state.seen[status.handle] = status.state
                        state.queue.append(status)
                    }
                    return !state.queue.isEmpty
                }
                if found { continue }
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return nil
                }
            }
        }
    }
}
