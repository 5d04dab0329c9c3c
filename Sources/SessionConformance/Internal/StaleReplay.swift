import SessionSDK

/// Reads a status stream and replays each RUNNING status as a stale STARTING one right
/// after it: the `watchOutOfOrder` fault of ``FaultInjectingProvider``.
///
/// An actor, so the stream's iterator and the pending replay are only touched by one
/// task at a time; `AsyncThrowingStream(unfolding:)` calls ``next()`` once per element
/// the consumer asks for.
actor StaleReplay {
    private var iterator: AsyncThrowingStream<ProviderSessionStatus, any Error>.AsyncIterator
    private var stale: ProviderSessionStatus?

    init(_ upstream: AsyncThrowingStream<ProviderSessionStatus, any Error>) {
        self.iterator = upstream.makeAsyncIterator()
    }

    /// The next status: a pending replay, else the upstream's next.
    func next() async throws -> ProviderSessionStatus? {
        if let stale {
            self.stale = nil
            return stale
        }
        var upstream = iterator  // a mutating async call cannot be made on the stored property itself
        let next = try await upstream.next(isolation: self)
        iterator = upstream
        guard let status = next else { return nil }
        if status.state == .running {
            var replay = status
            replay.state = .starting
            replay.connection = nil
            stale = replay
        }
        return status
    }
}
