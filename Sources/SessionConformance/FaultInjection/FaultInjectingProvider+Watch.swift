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
        let reader = StaleReplay(upstream)
        return AsyncThrowingStream { try await reader.next() }
    }
}
