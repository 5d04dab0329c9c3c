extension RPCServer {
    /// Where and how a server listens, and the limits it enforces on every connection.
    public struct Configuration: Sendable {
        /// The listeners; at least one.
        public var listeners: [Listener]
        /// The largest request message accepted, in bytes; larger ones end the call
        /// with `RESOURCE_EXHAUSTED`. Default 4 MiB.
        public var maxReceiveMessageSize: Int
        /// The largest response message sent, in bytes. Default 4 MiB.
        public var maxSendMessageSize: Int
        /// `SETTINGS_MAX_CONCURRENT_STREAMS` announced to clients. Default 100.
        public var maxConcurrentStreams: Int
        /// The largest header list accepted, in bytes (announced as
        /// `SETTINGS_MAX_HEADER_LIST_SIZE`). Default 16 KiB.
        public var maxHeaderListSize: Int
        /// The per-stream receive window, which bounds what a caller may send ahead
        /// of the handler reading it. Default 1 MiB.
        public var streamWindowSize: Int
        /// Response bytes queued per stream before writers suspend. Default 256 KiB.
        public var maxQueuedResponseBytes: Int
        /// Hardening against abusive peers.
        public var limits: Limits
        /// How long a connection with no calls stays open. Default 5 minutes.
        public var idleTimeout: Duration
        /// How long in-flight calls may take to finish after graceful shutdown starts.
        /// Default 10 seconds.
        public var shutdownGracePeriod: Duration
        /// Whether handlers run on their connection's event loop thread (the default),
        /// which saves a thread hop per call. Turn it off when handlers do long
        /// CPU-bound work without suspending, which would delay the connection's I/O.
        public var runsHandlersOnEventLoops: Bool

        /// Creates a configuration with the default limits.
        public init(listeners: [Listener]) {
            self.listeners = listeners
            self.maxReceiveMessageSize = 4 * 1024 * 1024
            self.maxSendMessageSize = 4 * 1024 * 1024
            self.maxConcurrentStreams = 100
            self.maxHeaderListSize = 16 * 1024
            self.streamWindowSize = 1024 * 1024
            self.maxQueuedResponseBytes = 256 * 1024
            self.limits = .defaults
            self.idleTimeout = .seconds(300)
            self.shutdownGracePeriod = .seconds(10)
            self.runsHandlersOnEventLoops = true
        }

        /// Cleartext HTTP/2 on `127.0.0.1:50051`.
        public static var defaults: Configuration {
            Configuration(listeners: [.tcp(host: "127.0.0.1", port: 50051)])
        }
    }

    /// An address to accept connections on.
    public enum Listener: Sendable, Hashable, CustomStringConvertible {
        /// TCP with cleartext HTTP/2 (prior knowledge, "h2c").
        case tcp(host: String, port: Int)
        /// TCP with TLS; ALPN must select `h2`.
        case tls(host: String, port: Int, tls: TLSConfiguration)
        /// A Unix domain socket at a path; an existing socket file is replaced.
        case unixDomainSocket(path: String)

        public var description: String {
            switch self {
            case .tcp(let host, let port): "h2c://\(host):\(port)"
            case .tls(let host, let port, _): "https://\(host):\(port)"
            case .unixDomainSocket(let path): "unix:\(path)"
            }
        }
    }

    /// Certificates for a TLS listener, as PEM files.
    public struct TLSConfiguration: Sendable, Hashable {
        /// The server's certificate chain.
        public var certificateChainPath: String
        /// The server's private key.
        public var privateKeyPath: String
        /// Trust roots for client certificates; when set, clients must present one.
        public var clientCertificateTrustRootsPath: String?

        /// Creates a TLS configuration.
        public init(certificateChainPath: String, privateKeyPath: String, clientCertificateTrustRootsPath: String? = nil) {
            self.certificateChainPath = certificateChainPath
            self.privateKeyPath = privateKeyPath
            self.clientCertificateTrustRootsPath = clientCertificateTrustRootsPath
        }
    }

    /// Limits that protect the server from abusive HTTP/2 peers.
    public struct Limits: Sendable, Hashable {
        /// Streams a peer may reset per second, over a burst, before the connection is
        /// closed (rapid reset, CVE-2023-44487).
        public var streamResetBurst: Int
        /// Sustained stream resets allowed per second.
        public var streamResetRate: Int
        /// CONTINUATION frames allowed in one header block (CVE-2024-28182).
        public var maxContinuations: Int
        /// Entries allowed in one SETTINGS frame.
        public var maxSettingsEntries: Int
        /// Queued outbound control frames (SETTINGS and PING acknowledgements) allowed
        /// before the connection is closed; stops a peer that sends but never reads.
        public var maxOutboundAcks: Int
        /// The shortest interval between two PINGs from a client with nothing sent by
        /// the server in between. A PING arriving sooner is a strike, whether or not
        /// calls are active; every HEADERS or DATA frame the server sends clears the
        /// strikes, so the PINGs clients send to probe bandwidth while a response
        /// arrives (grpc-go, C-core, grpc-java) are never strikes.
        public var minPingInterval: Duration
        /// Strikes allowed before the connection is closed with GOAWAY
        /// `ENHANCE_YOUR_CALM` and debug data `too_many_pings`.
        public var maxPingStrikes: Int

        /// The defaults: 1000-stream reset burst at 33/s, 8 CONTINUATIONs, 32 settings,
        /// 1000 queued acks, pings at most every 5 minutes without data sent, 2 strikes.
        public static var defaults: Limits {
            Limits(
                streamResetBurst: 1000,
                streamResetRate: 33,
                maxContinuations: 8,
                maxSettingsEntries: 32,
                maxOutboundAcks: 1000,
                minPingInterval: .seconds(300),
                maxPingStrikes: 2
            )
        }
    }
}

extension RPCServer.Listener {
    /// The listener for an address of the forms ``RPCClient/Target`` reads: `HOST:PORT`
    /// (cleartext h2c, or TLS when `tls` is given) or `unix:PATH`; nil for anything else.
    public init?(address: String, tls: RPCServer.TLSConfiguration? = nil) {
        switch RPCClient.Target(address: address) {
        case .tcp(let host, let port)?: self = tls.map { .tls(host: host, port: port, tls: $0) } ?? .tcp(host: host, port: port)
        case .unixDomainSocket(let path)?: self = .unixDomainSocket(path: path)
        case .tls?, nil: return nil
        }
    }
}
