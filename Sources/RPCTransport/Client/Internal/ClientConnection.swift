internal import NIOCore
internal import NIOPosix
internal import NIOSSL

/// An established client connection: its channel and HTTP/2 handler.
struct ClientConnection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<ClientConnectionHandler>
    let status: ClientConnectionHandler.Status

    /// Connects to a target and installs TLS (when asked for) and the HTTP/2 handler.
    static func connect(
        to target: RPCClient.Target,
        configuration: RPCClient.Configuration
    ) -> EventLoopFuture<ClientConnection> {
        let group = MultiThreadedEventLoopGroup.singleton
        let tls: NIOSSLContext?
        let serverName: String?
        do {
            (tls, serverName) = try tlsContext(for: target)
        } catch {
            return group.next().makeFailedFuture(error)
        }
        let authority: String
        switch target {
        case .tcp(let host, let port), .tls(let host, let port, _): authority = "\(host):\(port)"
        case .unixDomainSocket: authority = "localhost"
        }
        let scheme = tls == nil ? "http" : "https"
        var bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.nanoseconds(configuration.connectTimeout.nanoseconds))
        if case .unixDomainSocket = target {} else {
            bootstrap = bootstrap.channelOption(.tcpOption(.tcp_nodelay), value: 1)
        }
        bootstrap = bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName)) }
                    try pipeline.addHandler(ClientConnectionHandler(
                        configuration: configuration, authority: authority, scheme: scheme))
                }
            }
        let connected: EventLoopFuture<any Channel>
        switch target {
        case .tcp(let host, let port), .tls(let host, let port, _):
            connected = bootstrap.connect(host: host, port: port)
        case .unixDomainSocket(let path):
            connected = bootstrap.connect(unixDomainSocketPath: path)
        }
        return connected.flatMapThrowing { channel in
            let handler = try channel.pipeline.syncOperations.handler(type: ClientConnectionHandler.self)
            return ClientConnection(
                channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop), status: handler.status)
        }
    }

    private static func tlsContext(for target: RPCClient.Target) throws -> (NIOSSLContext?, String?) {
        guard case .tls(let host, _, let settings) = target else { return (nil, nil) }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.applicationProtocols = ["h2"]
        if let roots = settings.trustRootsPath { configuration.trustRoots = .file(roots) }
        if let chain = settings.certificateChainPath, let key = settings.privateKeyPath {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(chain).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        let name = settings.serverHostnameOverride ?? host
        // SNI takes names, not addresses.
        let isAddress = name.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
        return (try NIOSSLContext(configuration: configuration), isAddress ? nil : name)
    }
}
