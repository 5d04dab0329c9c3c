internal import NIOCore
internal import NIOPosix
internal import NIOSSL
internal import NIOTLS

extension RPCServer {
    /// Binds one listener and installs the HTTP/2 handler on each accepted connection.
    func bind(_ listener: Listener) async throws -> NIOAsyncChannel<AcceptedConnection, Never> {
        let tls: ReloadingTLSContext?
        if case .tls(_, _, let settings) = listener {
            tls = try ReloadingTLSContext(listener, settings: settings, logger: logger)
        } else {
            tls = nil
        }
        var bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
        if case .unixDomainSocket = listener {} else {
            // At the TCP level: `.socketOption(.tcp_nodelay)` would set SO_DEBUG (the same
            // number at the socket level), which only root may, so that every connection
            // to an unprivileged server was closed at once.
            bootstrap = bootstrap.childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        }
        let initializer: @Sendable (any Channel) -> EventLoopFuture<AcceptedConnection> = { channel in
            channel.eventLoop.makeCompletedFuture { try self.installHandlers(on: channel, tls: tls) }
        }
        let channel: NIOAsyncChannel<AcceptedConnection, Never>
        do {
            switch listener {
            case .tcp(let host, let port), .tls(let host, let port, _):
                channel = try await bootstrap.bind(host: host, port: port, childChannelInitializer: initializer)
            case .unixDomainSocket(let path):
                channel = try await bootstrap.bind(
                    unixDomainSocketPath: path, cleanupExistingSocketFile: true, childChannelInitializer: initializer)
            }
        } catch {
            throw RPCError(.unavailable, "could not listen on \(listener): \(error)", cause: error)
        }
        let address = Self.describe(listener, boundTo: channel.channel.localAddress)
        recordListener(channel.channel, address: address)
        return channel
    }

    private func installHandlers(on channel: any Channel, tls: ReloadingTLSContext?) throws -> AcceptedConnection {
        let pipeline = channel.pipeline.syncOperations
        if let tls {
            try pipeline.addHandler(NIOSSLServerHandler(context: tls.current()))
            try pipeline.addHandler(ALPNRequirementHandler())
        }
        let calls = ServerCallQueue()
        let handler = ServerConnectionHandler(
            configuration: configuration, router: router, metrics: metrics, logger: logger, calls: calls)
        try pipeline.addHandler(handler)
        return AcceptedConnection(
            channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop), calls: calls)
    }

    private static func describe(_ listener: Listener, boundTo address: SocketAddress?) -> String {
        switch listener {
        case .tcp(let host, _): "h2c://\(host):\(address?.port ?? 0)"
        case .tls(let host, _, _): "https://\(host):\(address?.port ?? 0)"
        case .unixDomainSocket(let path): "unix:\(path)"
        }
    }
}

extension RPCServer.Listener {
    /// The TLS context of a TLS listener, from its files as they are now, with ALPN
    /// offering only `h2`.
    func makeTLSContext() throws -> NIOSSLContext {
        guard case .tls(_, _, let settings) = self else {
            throw RPCError(.invalidArgument, "\(self) is not a TLS listener")
        }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(settings.certificateChainPath)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: settings.privateKeyPath, format: .pem)))
            configuration.applicationProtocols = ["h2"]
            configuration.minimumTLSVersion = .tlsv12
            if let roots = settings.clientCertificateTrustRootsPath {
                configuration.trustRoots = .file(roots)
                configuration.certificateVerification = .noHostnameVerification
            }
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw RPCError(.invalidArgument, "TLS configuration for \(self) is not usable: \(error)", cause: error)
        }
    }
}

/// Closes TLS connections whose ALPN negotiation picked anything other than `h2`.
final class ALPNRequirementHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted(let negotiated) = event {
            if let negotiated, negotiated != "h2" {
                context.close(promise: nil)
                return
            }
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}
