internal import Dispatch
internal import Glibc

extension RPCServer {
    /// Serves until SIGTERM or SIGINT, which start a graceful shutdown; calls
    /// `onListening` with the bound addresses once the server accepts connections.
    ///
    /// For executables; a process embedding the server under swift-service-lifecycle
    /// calls ``run()`` and ``beginGracefulShutdown()`` itself.
    public func runUntilTerminated(onListening: @Sendable ([String]) -> Void) async throws {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let sources = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        for source in sources {
            source.setEventHandler { [self] in beginGracefulShutdown() }
            source.resume()
        }
        defer { for source in sources { source.cancel() } }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.run() }
            onListening(try await listeningAddresses())
        }
    }
}
