public import Logging
public import RPCTransport
public import SessionSDK

/// Serving a ``SessionProvider`` out of process, from a plugin author's own package.
///
/// A gateway reaches the plugin through an environment with `backend: remote` and its
/// address (a ``RemoteProvider``); the plugin serves
/// `sessiongw.provider.v1.SessionProviderService` and gRPC health.
///
/// ```swift
/// import ProviderPlugin
///
/// @main struct ExamplePlugin {
///     static func main() async throws {
///         try await ProviderPlugin.serve(ExampleProvider(), listen: "unix:/run/example-provider.sock")
///     }
/// }
/// ```
public enum ProviderPlugin {
    /// Serves `provider` on `listen` (`HOST:PORT` or `unix:PATH`) until SIGTERM or
    /// SIGINT, then lets calls in flight finish. `onListening` gets the bound addresses.
    ///
    /// - Throws: `INVALID_ARGUMENT` for an address of another form; what binding throws.
    public static func serve(
        _ provider: any SessionProvider, listen: String, logger: Logger = Logger(label: "sessiongw.provider"),
        onListening: @Sendable ([String]) -> Void = { _ in }
    ) async throws {
        guard let listener = RPCServer.Listener(address: listen) else {
            throw SessionError(.invalidArgument, "'\(listen)' is not HOST:PORT or unix:PATH")
        }
        let server = RPCServer(
            configuration: .init(listeners: [listener]),
            services: [ProviderService(provider: provider), HealthService()],
            logger: logger)
        try await server.runUntilTerminated(onListening: onListening)
    }
}
