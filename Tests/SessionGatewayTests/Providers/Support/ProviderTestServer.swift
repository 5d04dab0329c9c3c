import Logging
import RPCTransport
@testable import ProviderPlugin
@testable import SessionGateway
import SessionSDK
import Testing

/// An ``RPCServer`` serving one provider with ``ProviderService`` over a real socket,
/// for the duration of a test body.
///
/// ```swift
/// try await ProviderTestServer.serving(provider) { server in
///     let remote = try await RemoteProvider.connect(address: server.address)
///     defer { ... }
/// }
/// ```
struct ProviderTestServer: Sendable {
    /// The running server.
    let server: RPCServer
    /// Where it listens, as a ``RemoteProvider`` address (`h2c://127.0.0.1:PORT` or
    /// `unix:PATH`).
    let address: String
    /// Finishes when the server's `run()` has returned.
    private let stopped: AsyncStream<Never>

    /// Stops the server gracefully and waits until it no longer listens.
    func stop() async {
        server.beginGracefulShutdown()
        for await _ in stopped {}
    }

    /// Serves `provider` on `listener` while `body` runs, then shuts the server down,
    /// also when `body` throws.
    static func serving<Result: Sendable>(
        _ provider: any SessionProvider,
        listener: RPCServer.Listener = .tcp(host: "127.0.0.1", port: 0),
        _ body: (ProviderTestServer) async throws -> Result
    ) async throws -> Result {
        let server = RPCServer(
            configuration: .init(listeners: [listener]), services: [ProviderService(provider: provider)],
            logger: Logger(label: "provider-test-server", factory: { _ in SwiftLogNoOpLogHandler() }))
        let (stopped, stoppedContinuation) = AsyncStream.makeStream(of: Never.self)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { stoppedContinuation.finish() }
                try await server.run()
            }
            let result: Swift.Result<Result, any Error>
            do {
                let address = try await server.listeningAddresses()[0]
                result = .success(try await body(ProviderTestServer(server: server, address: address, stopped: stopped)))
            } catch {
                result = .failure(error)
            }
            server.beginGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }
}

extension RemoteProvider {
    /// Runs `body` with a provider for `address` (connected first when `connect` is
    /// true) and closes it afterwards, also when `body` throws.
    static func using<Result: Sendable>(
        address: String, configuration: Configuration = .defaults, connect: Bool = true,
        _ body: (RemoteProvider) async throws -> Result
    ) async throws -> Result {
        let provider = connect
            ? try await RemoteProvider.connect(address: address, configuration: configuration)
            : try RemoteProvider(address: address, configuration: configuration)
        do {
            let result = try await body(provider)
            await provider.close()
            return result
        } catch {
            await provider.close()
            throw error
        }
    }
}

/// The ``SessionError`` that `body` throws; nil (with an issue recorded) when it throws
/// nothing or another error.
func thrownSessionError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> SessionError? {
    do {
        try await body()
        Issue.record("expected a SessionError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as SessionError {
        return error
    } catch {
        Issue.record("expected a SessionError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The result of `body`, or a recorded issue and `CancellationError` when it takes
/// longer than `limit` (it is then cancelled).
func withTimeLimit<Result: Sendable>(
    _ limit: Duration, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        let first = try await group.next() ?? nil
        group.cancelAll()
        guard let first else {
            Issue.record("did not finish within \(limit)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return first
    }
}
