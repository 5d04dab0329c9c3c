internal import Foundation
public import Logging
public import Metrics
internal import ProviderPlugin
internal import SessionAPI
public import RPCTransport
public import SessionSDK
public import ServiceLifecycle

/// The session gateway: the store, the providers of the compute environments, the
/// session API over gRPC, and the reconciler, run as one service. It names no backend:
/// the program that assembles it passes the factories of the backends it builds in.
///
/// On SIGTERM or SIGINT (through swift-service-lifecycle's graceful shutdown) it stops
/// accepting calls, lets in-flight calls finish, stops reconciling and closes the store.
///
/// ```swift
/// let gateway = try await Gateway(
///     configuration: .embeddedDefault(dataDirectory: "/var/lib/sessiongw"),
///     backends: [LocalProvider.factory(logger: logger)], logger: logger)
/// let group = ServiceGroup(services: [gateway], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
public final class Gateway: Service {
    /// The configuration in force.
    public let configuration: GatewayConfiguration
    /// Where the administrator token is, and whether this start created it.
    public let adminToken: AdminToken
    /// Whether the administrator token was created by this start.
    public let adminTokenCreated: Bool
    let store: SessionStore
    let controller: SessionController
    let reconciler: Reconciler
    let agents: SessionAgents
    /// Collects running sessions' utilization from their agents.
    let utilization: UtilizationCollector
    let server: RPCServer
    /// The connection proxy to sessions' IDEs; nil when the configuration turns it off.
    public let connectionProxy: ConnectionProxy?
    let logger: Logger

    /// Opens the store, creates the administrator token on first start and connects
    /// the providers, made by the factory of each environment's backend kind among
    /// `backends` (remote providers need none).
    ///
    /// - Throws: ``ConfigurationError`` or a `SessionError` when something configured
    ///   cannot be used.
    public init(
        configuration: GatewayConfiguration, backends: [BackendFactory], logger: Logger, metricsFactory: (any MetricsFactory)? = nil
    ) async throws {
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        self.configuration = configuration
        self.logger = logger
        (adminToken, adminTokenCreated) = try AdminToken.loadOrCreate(inDirectory: configuration.dataDirectory)
        store = try SessionStore(
            location: .file(configuration.dataDirectory + "/sessiongw.sqlite"), usageRates: configuration.usageRates(for:),
            logger: logger)
        try await store.meterAllSessions()
        for workspace in configuration.access.workspaces { try await store.createWorkspace(workspace) }
        for member in configuration.access.members {
            try await store.setMember(member.caller, role: member.role, in: member.workspace)
        }
        var providers = ProviderRegistry()
        for entry in configuration.environments {
            providers.register(
                try await Self.provider(for: entry, configuration: configuration, backends: backends), for: entry.environment)
        }
        let agentTokens = try AgentTokens.loadOrCreate(inDirectory: configuration.dataDirectory)
        let vault = try SecretVault.loadOrCreate(keyFile: configuration.secretsKeyPath)
        controller = SessionController(
            configuration: configuration, store: store, providers: providers,
            secrets: StoreSecretResolver(
                store: store, vault: vault, files: DirectorySecretResolver(root: configuration.dataDirectory + "/secrets")),
            agentTokens: agentTokens, logger: logger)
        agents = SessionAgents(store: store, tokens: agentTokens)
        reconciler = Reconciler(
            controller: controller,
            schedule: .init(fullPass: configuration.reconcileInterval, checkpoint: configuration.checkpointInterval),
            logger: logger)
        let health = HealthService()
        let authenticator = Authenticator(adminToken: adminToken, store: store, jwt: configuration.access.jwt)
        let access = AccessControl(
            store: store, authenticator: authenticator, streamRecheckInterval: configuration.access.streamRecheckInterval)
        if let settings = configuration.connect {
            connectionProxy = try ConnectionProxy(
                settings: settings, tls: configuration.tls, store: store, authenticator: authenticator,
                signer: try LinkTicketSigner.loadOrCreate(inDirectory: configuration.dataDirectory), logger: logger)
        } else {
            connectionProxy = nil
        }
        utilization = UtilizationCollector(
            store: store, agents: agents,
            idle: IdleMonitor(
                store: store, controller: controller, configuration: configuration, users: connectionProxy?.users,
                logger: logger),
            controller: controller, interval: configuration.utilizationInterval, logger: logger)
        let services: [any RPCService] = [
            SessionServiceHandler(controller: controller, access: access, proxy: connectionProxy),
            CheckpointServiceHandler(store: store, access: access),
            DataLinkServiceHandler(store: store, access: access),
            CatalogServiceHandler(configuration: configuration, access: access),
            TerminalServiceHandler(agents: agents, access: access),
            ActivityServiceHandler(agents: agents, access: access),
            UsageServiceHandler(store: store, access: access),
            SecretServiceHandler(store: store, vault: vault, access: access),
        ]
        for name in RPCRouter(services: services).serviceNames { health.setStatus(.serving, forService: name) }
        server = RPCServer(
            configuration: .init(listeners: try configuration.listen.map { try Self.listener(for: $0, tls: configuration.tls) }),
            services: services + [health, ReflectionService(services: services + [health], files: SessionAPIProtoFiles.all)],
            interceptors: [AuthenticationInterceptor(authenticator: authenticator)],
            logger: logger, metricsFactory: metricsFactory)
    }

    /// The addresses the gateway listens on, once it does.
    public func listeningAddresses() async throws -> [String] {
        try await server.listeningAddresses()
    }

    /// Where the connection proxy listens (such as `http://127.0.0.1:8081`), once it
    /// does; nil when it is off.
    public func connectionProxyAddress() async throws -> String? {
        try await connectionProxy?.listeningAddress()
    }

    /// Serves until graceful shutdown.
    public func run() async throws {
        defer { try? store.close() }
        try await withThrowingDiscardingTaskGroup { group in
            // The connections to the session agents close once everything else has stopped.
            defer { Task { [agents] in await agents.close() } }
            group.addTask {
                try await withGracefulShutdownHandler {
                    try await self.server.run()
                } onGracefulShutdown: {
                    self.server.beginGracefulShutdown()
                }
            }
            if let proxy = self.connectionProxy {
                group.addTask {
                    try await withGracefulShutdownHandler {
                        try await proxy.run()
                    } onGracefulShutdown: {
                        proxy.close()
                    }
                }
            }
            group.addTask {
                // It stops by itself on a graceful shutdown, after the pass in flight.
                try? await self.reconciler.run()
            }
            group.addTask {
                // It stops by itself on a graceful shutdown, after the round in flight.
                try? await self.utilization.run()
            }
        }
    }

    // MARK: Assembly

    /// The directory a compute environment's backend may keep files in (the Local
    /// backend keeps its sessions, checkpoints, volumes and buckets there):
    /// `DATA_DIR/environments/ID` in the default workspace, and
    /// `DATA_DIR/workspaces/WORKSPACE/environments/ID` in others, so that environments
    /// with the same id in two workspaces never share files.
    static func environmentDirectory(of environment: ComputeEnvironment, in configuration: GatewayConfiguration) -> String {
        environment.workspace == .default
            ? configuration.dataDirectory + "/environments/" + environment.id
            : configuration.dataDirectory + "/workspaces/" + environment.workspace.rawValue + "/environments/" + environment.id
    }

    /// The provider of a compute environment, as the gateway makes it: the factory of
    /// its backend kind with the environment's settings, or a ``RemoteProvider`` at its
    /// address (connected if it answers now). Also how `sessiongw conformance` and
    /// `sessiongw provider serve` get the backend a configuration file describes.
    ///
    /// - Throws: ``ConfigurationError`` for a backend kind none of `backends` makes, or
    ///   settings its factory refuses.
    public static func provider(
        for entry: GatewayConfiguration.Environment, configuration: GatewayConfiguration, backends: [BackendFactory]
    ) async throws -> any SessionProvider {
        switch entry.backend {
        case .builtIn(let kind, let settings):
            guard let factory = backends.first(where: { $0.kind == kind }) else {
                let kinds = backends.map { "'\($0.kind)'" } + ["'remote' with an address"]
                throw ConfigurationError(
                    path: "computeEnvironments[\(entry.environment.id)].backend",
                    message: "'\(kind)' is not a built-in backend; use \(kinds.joined(separator: ", "))")
            }
            let context = BackendFactory.Context(
                environment: entry.environment, settings: settings,
                directory: environmentDirectory(of: entry.environment, in: configuration),
                // Sessions never see the gateway's own files: tokens, keys, the store.
                hiddenDirectories: [configuration.dataDirectory]
                    + [(configuration.secretsKeyPath as NSString).deletingLastPathComponent].filter {
                        !$0.hasPrefix(configuration.dataDirectory + "/") && $0 != configuration.dataDirectory
                    })
            do {
                return try await factory.make(context)
            } catch let error as SessionError {
                throw ConfigurationError(path: "computeEnvironments[\(entry.environment.id)].settings", message: error.message)
            }
        case .remote(let address):
            // A plugin that is down must not keep the gateway from starting: calls to
            // it fail UNAVAILABLE until it answers, and the reconciler retries.
            let remote = try RemoteProvider(address: address)
            try? await remote.connect()
            return remote
        }
    }

    /// The listener for `host:port` (with TLS when `tls` is given) or `unix:PATH`.
    ///
    /// - Throws: ``ConfigurationError`` for anything else.
    static func listener(for address: String, tls: GatewayConfiguration.TLS? = nil) throws -> RPCServer.Listener {
        let settings = tls.map {
            RPCServer.TLSConfiguration(
                certificateChainPath: $0.certificate, privateKeyPath: $0.privateKey, clientCertificateTrustRootsPath: $0.clientCertificateAuthority)
        }
        guard let listener = RPCServer.Listener(address: address, tls: settings) else {
            throw ConfigurationError(path: "listen", message: "'\(address)' is not HOST:PORT or unix:PATH")
        }
        return listener
    }
}
