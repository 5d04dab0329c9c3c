import Logging
import RPCTransport
import ProviderPlugin
import SessionGateway
import SessionSDK

/// Providers served out of process style: each on its own ``RPCServer`` with
/// ``ProviderService`` at a Unix socket, for the duration of a body.
enum ProviderSocketServer {
    /// Serves `providers[i]` at `paths[i]` while `body` runs with the servers'
    /// addresses (`unix:PATH`), then shuts the servers down, also when `body` throws.
    static func serving<Result: Sendable>(
        _ providers: [any SessionProvider], at paths: [String], _ body: ([String]) async throws -> Result
    ) async throws -> Result {
        let logger = Logger(label: "conformance-provider-server") { _ in SwiftLogNoOpLogHandler() }
        let servers = zip(providers, paths).map { provider, path in
            RPCServer(
                configuration: .init(listeners: [.unixDomainSocket(path: path)]), services: [ProviderService(provider: provider)],
                logger: logger)
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for server in servers {
                group.addTask { try await server.run() }
            }
            let result: Swift.Result<Result, any Error>
            do {
                var addresses: [String] = []
                for server in servers { addresses.append(try await server.listeningAddresses()[0]) }
                result = .success(try await body(addresses))
            } catch {
                result = .failure(error)
            }
            for server in servers { server.beginGracefulShutdown() }
            try await group.waitForAll()
            return try result.get()
        }
    }
}
