public import Logging
public import Metrics

/// A gRPC server over HTTP/2.
public final class RPCServer: Sendable {
    let configuration: Configuration
    let router: RPCRouter
    let interceptors: [any ServerInterceptor]
    let logger: Logger

    /// Creates a server; call ``run()`` to serve.
    public init(
        configuration: Configuration,
        services: [any RPCService],
        interceptors: [any ServerInterceptor] = [],
        logger: Logger,
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        var router = RPCRouter()
        for service in services { service.registerMethods(with: &router) }
        self.configuration = configuration
        self.router = router
        self.interceptors = interceptors
        self.logger = logger
    }

    /// Serves until cancelled.
    public func run() async throws {
        throw RPCError(.unimplemented, "not yet")
    }
}
