import RPCTransport
internal import SessionAPI
public import SessionSDK

extension RemoteProvider {
    /// Calls `WatchSessions` and yields each status the plugin streams, until the
    /// plugin ends the stream (the sequence finishes), the call fails (it throws the
    /// mapped ``SessionError``: `UNIMPLEMENTED` without ``ProviderCapability/watch``,
    /// `UNAVAILABLE` when the connection breaks), or the caller stops iterating.
    ///
    /// The call runs in a task owned by the returned sequence: it starts here and is
    /// cancelled, cancelling the RPC, as soon as the sequence is dropped or its
    /// consumer's task is cancelled. Statuses are buffered until read; the call has no
    /// deadline.
    public func watchSessions() -> AsyncThrowingStream<ProviderSessionStatus, any Error> {
        let (statuses, continuation) = AsyncThrowingStream.makeStream(of: ProviderSessionStatus.self)
        let call = Task {
            do {
                try await self.streamStatuses(into: continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: self.sessionError(for: error, calling: SessionProviderServiceMethods.watchSessions.method))
            }
        }
        continuation.onTermination = { _ in call.cancel() }
        return statuses
    }

    /// Makes the `WatchSessions` call and yields every status it carries.
    private func streamStatuses(
        into continuation: AsyncThrowingStream<ProviderSessionStatus, any Error>.Continuation
    ) async throws {
        let method = SessionProviderServiceMethods.watchSessions
        try await connect()
        try await client.serverStreaming(method, request: ProviderV1WatchSessionsRequest()) { responses in
            for try await response in responses {
                let status = try status(response.status, of: method)
                if case .terminated = continuation.yield(status) { return }
            }
        }
    }
}
