public import SessionSDK

extension FaultInjectingProvider {
    /// The wrapped provider's watch; `watchOutOfOrder` follows every RUNNING status
    /// with a stale STARTING one for the same session, `unimplementedReturnsOK` gives a
    /// stream that ends at once without WATCH.
    ///
    /// The returned stream pulls from the wrapped one as it is read: no task runs
    /// behind it.
    public func watchSessions() -> AsyncThrowingStream<ProviderSessionStatus, any Error> {
        if fault == .unimplementedReturnsOK, !wrapped.capabilities.contains(.watch) {
            return AsyncThrowingStream { $0.finish() }
        }
        let upstream = wrapped.watchSessions()
        guard fault == .watchOutOfOrder else { return upstream }
        let reader = StaleReplay(upstream.makeAsyncIterator())
        return AsyncThrowingStream { try await reader.next() }
    }
}

/// Reads a status stream and replays each RUNNING status as STARTING right after it.
///
/// `@unchecked Sendable`: `AsyncThrowingStream(unfolding:)` calls ``next()`` from one
/// consumer at a time, never concurrently, so the iterator and the pending status are
/// never touched by two tasks at once.
private final class StaleReplay: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<ProviderSessionStatus, any Error>.AsyncIterator
    private var stale: ProviderSessionStatus?

    init(_ iterator: AsyncThrowingStream<ProviderSessionStatus, any Error>.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> ProviderSessionStatus? {
        if let stale {
            self.stale = nil
            return stale
        }
        guard let status = try await iterator.next() else { return nil }
        if status.state == .running {
            var replay = status
            replay.state = .starting
            replay.connection = nil
            stale = replay
        }
        return status
    }
}
