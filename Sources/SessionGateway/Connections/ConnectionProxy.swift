internal import Foundation
public import Logging
internal import NIOCore
internal import NIOHTTP1
internal import NIOPosix
internal import NIOSSL
internal import RPCTransport
public import SessionSDK
internal import Synchronization

/// The gateway's authenticating HTTP/1.1 reverse proxy to sessions' IDEs, on its own
/// listener (``GatewayConfiguration/Connect``), with TLS when the gateway has it.
///
/// `/sessions/WORKSPACE/SESSION/...` goes to the session's backend connection URL with
/// the backend's own access token added (users never see it), for callers that are
/// members of the workspace with at least `connect`, checked on every request;
/// WebSocket upgrades become byte tunnels, re-checked every few seconds. The links
/// `GetSessionConnection` returns carry a short-lived signed ticket
/// (``LinkTicketSigner``) that the proxy trades for a cookie scoped to the session.
public final class ConnectionProxy: Sendable {
    private struct State {
        var listener: (any Channel)?
        var address: String?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var closed = false
    }

    /// The settings in force.
    public let settings: GatewayConfiguration.Connect
    /// Who is connected to which session.
    public let users: ConnectedUsers
    let signer: LinkTicketSigner
    private let services: ProxyServices
    private let tls: ProxyTLSContext?
    private let state = Mutex(State())
    private let bound: EventLoopPromise<String>
    private let now: @Sendable () -> Double

    /// Creates the proxy; it listens once ``run()`` is called.
    ///
    /// - Throws: ``ConfigurationError`` when the TLS files do not load.
    public init(
        settings: GatewayConfiguration.Connect, tls: GatewayConfiguration.TLS?, store: SessionStore,
        authenticator: Authenticator, signer: LinkTicketSigner, logger: Logger, now: (@Sendable () -> Double)? = nil
    ) throws {
        let now = now ?? { Date().timeIntervalSince1970 }
        self.settings = settings
        self.signer = signer
        self.now = now
        users = ConnectedUsers(window: settings.presenceWindow, now: now)
        self.tls = try tls.map { try ProxyTLSContext(certificate: $0.certificate, privateKey: $0.privateKey, logger: logger) }
        services = ProxyServices(
            authorizer: ConnectionAuthorizer(
                store: store, authenticator: authenticator, signer: signer,
                cookieLifetime: settings.cookieLifetime.inSeconds, secureCookies: tls != nil,
                sessionHost: settings.sessionHost.flatMap(SessionHostPattern.init), now: now),
            users: users, store: store, logger: logger,
            backendTimeout: .nanoseconds(Int64(settings.backendTimeout.inSeconds * 1e9)),
            recheckInterval: .nanoseconds(Int64(settings.recheckInterval.inSeconds * 1e9)),
            scheme: tls == nil ? "http" : "https")
        bound = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: String.self)
    }

    deinit {
        bound.fail(CancellationError())
    }

    /// Listens and serves until ``close()``.
    ///
    /// - Throws: `UNAVAILABLE` when the address cannot be bound.
    public func run() async throws {
        let channel: any Channel
        do {
            channel = try await bind()
        } catch {
            bound.fail(error)
            throw error
        }
        let address = "\(tls == nil ? "http" : "https")://\(Self.host(of: settings.listen)):\(channel.localAddress?.port ?? 0)"
        let closeNow = state.withLock { state -> Bool in
            state.listener = channel
            state.address = address
            return state.closed
        }
        bound.succeed(address)
        if closeNow { try? await channel.close() }
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: {
            self.close()
        }
        let open = state.withLock { Array($0.connections.values) }
        for connection in open { connection.close(promise: nil) }
    }

    /// Stops listening and closes every proxied connection.
    public func close() {
        let listener = state.withLock { state -> (any Channel)? in
            state.closed = true
            return state.listener
        }
        listener?.close(promise: nil)
    }

    /// Where the proxy listens, such as `http://127.0.0.1:8081`, once it does.
    public func listeningAddress() async throws -> String {
        try await bound.futureResult.get()
    }

    /// The URL users reach the proxy at: the configured public URL, or the listening
    /// address.
    public func baseURL() async throws -> String {
        if let publicURL = settings.publicURL { return publicURL }
        return try await listeningAddress()
    }

    /// The link of a session: its URL on the proxy with a link ticket for `principal`
    /// as `access_token`, the ticket, and when it expires (after the configured link
    /// lifetime).
    public func link(
        workspace: WorkspaceID, session: SessionID, for principal: Principal
    ) async throws -> (url: String, accessToken: String, expiresAt: Double) {
        var tokenID: String?
        if case .apiToken(let id) = principal.credential { tokenID = id }
        let expiry = (now() + settings.linkLifetime.inSeconds).rounded(.up)
        let ticket = signer.sign(LinkTicket(
            kind: .link, workspace: workspace, session: session, caller: principal.caller,
            administrator: principal.isAdministrator, tokenID: tokenID, expiresAt: expiry))
        return (try await sessionURL(workspace: workspace, session: session) + "?access_token=" + ticket, ticket, expiry)
    }

    /// A session's URL on the proxy, without credentials: on its own host when
    /// ``GatewayConfiguration/Connect/sessionHost`` is set (the base URL's scheme and
    /// port), else under `/sessions/WORKSPACE/SESSION/` on the base URL.
    public func sessionURL(workspace: WorkspaceID, session: SessionID) async throws -> String {
        let base = try await baseURL()
        guard let pattern = settings.sessionHost.flatMap(SessionHostPattern.init), let url = URLComponents(string: base) else {
            return base + ProxyPath.prefix(workspace: workspace, session: session)
        }
        var components = URLComponents()
        components.scheme = url.scheme
        components.host = pattern.host(for: session)
        components.port = url.port
        return (components.string ?? base) + "/"
    }

    // MARK: Listening

    private func bind() async throws -> any Channel {
        guard case .tcp(let host, let port)? = RPCClient.Target(address: settings.listen) else {
            throw ConfigurationError(path: "connect.listen", message: "'\(settings.listen)' is not HOST:PORT")
        }
        do {
            return try await bootstrap().bind(host: host, port: port).get()
        } catch let error as IOError where error.errnoCode == EADDRINUSE && settings.listenIsDefault {
            services.logger.warning(
                "the connection proxy's default port is taken; listening on a free port instead (set connect.listen to choose one)",
                metadata: ["address": "\(settings.listen)"])
            return try await bootstrap().bind(host: host, port: 0).get()
        } catch {
            throw SessionError(.unavailable, "the connection proxy could not listen on \(settings.listen): \(error)")
        }
    }

    private func bootstrap() -> ServerBootstrap {
        let services = services
        let tls = tls
        return ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: false)
            .childChannelInitializer { [weak self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(NIOSSLServerHandler(context: tls.current())) }
                    try pipeline.addHandler(IdleStateHandler(readTimeout: Self.idleTimeout))
                    let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
                    let encoder = HTTPResponseEncoder()
                    try pipeline.addHandler(decoder)
                    try pipeline.addHandler(encoder)
                    try pipeline.addHandler(ProxyServerHandler(services: services, decoder: decoder, encoder: encoder))
                    self?.track(channel)
                }
            }
    }

    private func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        state.withLock { $0.connections[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.state.withLock { _ = $0.connections.removeValue(forKey: id) }
        }
    }

    private static func host(of address: String) -> String {
        guard case .tcp(let host, _)? = RPCClient.Target(address: address) else { return "127.0.0.1" }
        switch host {
        case "0.0.0.0", "": return "127.0.0.1"
        case "::": return "[::1]"
        default: return host.contains(":") ? "[\(host)]" : host
        }
    }

    /// How long a client connection may wait between requests (or in the middle of a
    /// request head) before the proxy closes it; tunnels are not limited.
    static let idleTimeout = TimeAmount.seconds(300)
}
