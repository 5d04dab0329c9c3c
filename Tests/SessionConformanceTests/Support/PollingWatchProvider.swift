import SessionSDK
import Synchronization

/// A provider that adds ``ProviderCapability/watch`` to one without it, by polling
/// `listSessions`: a new watch first yields every session's current state, then each
/// change it sees. It lets the watch cases (and the `watchOutOfOrder` fault) run
/// against the Local backend.
final class PollingWatchProvider: SessionProvider {
    let wrapped: any SessionProvider
    let interval: Duration

    init(_ wrapped: any SessionProvider, interval: Duration = .milliseconds(20)) {
        self.wrapped = wrapped
        self.interval = interval
    }

    var identity: ProviderIdentity { wrapped.identity }
    var capabilities: Set<ProviderCapability> { wrapped.capabilities.union([.watch]) }

    func probe() async throws -> ProviderReadiness { try await wrapped.probe() }
    func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        try await wrapped.createSession(request)
    }
    func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus { try await wrapped.pauseSession(handle) }
    func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        try await wrapped.resumeSession(handle, request: request)
    }
    func deleteSession(_ handle: SessionHandle) async throws { try await wrapped.deleteSession(handle) }
    func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus { try await wrapped.describeSession(handle) }
    func listSessions() async throws -> [ProviderSessionStatus] { try await wrapped.listSessions() }
    func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint {
        try await wrapped.createCheckpoint(handle, checkpoint: checkpoint)
    }
    func deleteCheckpoint(_ checkpoint: Checkpoint) async throws { try await wrapped.deleteCheckpoint(checkpoint) }
    func recoverSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus { try await wrapped.recoverSession(handle) }
    func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
        try await wrapped.execute(command, in: handle)
    }

    func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String] {
        try await wrapped.buildLog(handle, from: line)
    }

    /// Polls as the consumer reads; ends when the consumer is cancelled.
    func watchSessions() -> AsyncThrowingStream<ProviderSessionStatus, any Error> {
        let poller = Poller(provider: wrapped, interval: interval)
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
