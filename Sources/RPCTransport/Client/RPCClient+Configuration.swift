extension RPCClient {
    /// Where a client connects.
    public enum Target: Sendable, Hashable, CustomStringConvertible {
        /// TCP with cleartext HTTP/2 (prior knowledge).
        case tcp(host: String, port: Int)
        /// TCP with TLS, offering ALPN `h2`.
        case tls(host: String, port: Int, tls: TLSConfiguration)
        /// A Unix domain socket.
        case unixDomainSocket(path: String)

        public var description: String {
            switch self {
            case .tcp(let host, let port): "h2c://\(host):\(port)"
            case .tls(let host, let port, _): "https://\(host):\(port)"
            case .unixDomainSocket(let path): "unix:\(path)"
            }
        }

        /// Parses `host:port`, `h2c://host:port`, `https://host:port` or `unix:PATH`.
        public init?(address: String, tls: TLSConfiguration? = nil) {
            if address.hasPrefix("unix:") {
                self = .unixDomainSocket(path: String(address.dropFirst(5)))
                return
            }
            var rest = Substring(address)
            var secure = tls != nil
            if rest.hasPrefix("https://") { rest = rest.dropFirst(8); secure = true }
            else if rest.hasPrefix("h2c://") { rest = rest.dropFirst(6) }
            else if rest.hasPrefix("http://") { rest = rest.dropFirst(7) }
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
                  (0...65535).contains(port) else { return nil }
            var host = String(rest[..<colon])
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { return nil }
            self = secure ? .tls(host: host, port: port, tls: tls ?? TLSConfiguration()) : .tcp(host: host, port: port)
        }
    }

    /// Trust and identity for a TLS target.
    public struct TLSConfiguration: Sendable, Hashable {
        /// PEM trust roots for the server certificate; the system roots when nil.
        public var trustRootsPath: String?
        /// The name the server certificate must carry, when not the target host.
        public var serverHostnameOverride: String?
        /// A PEM client certificate chain for mutual TLS.
        public var certificateChainPath: String?
        /// The PEM private key of the client certificate.
        public var privateKeyPath: String?

        /// Creates a TLS configuration.
        public init(
            trustRootsPath: String? = nil,
            serverHostnameOverride: String? = nil,
            certificateChainPath: String? = nil,
            privateKeyPath: String? = nil
        ) {
            self.trustRootsPath = trustRootsPath
            self.serverHostnameOverride = serverHostnameOverride
            self.certificateChainPath = certificateChainPath
            self.privateKeyPath = privateKeyPath
        }
    }

    /// Limits applied to every call of a client.
    public struct Configuration: Sendable {
        /// The largest response message accepted, in bytes. Default 4 MiB.
        public var maxReceiveMessageSize: Int
        /// The largest request message sent, in bytes. Default 4 MiB.
        public var maxSendMessageSize: Int
        /// The per-stream receive window. Default 1 MiB.
        public var streamWindowSize: Int
        /// Request bytes queued per stream before writers suspend. Default 256 KiB.
        public var maxQueuedRequestBytes: Int
        /// How long connecting may take. Default 10 seconds.
        public var connectTimeout: Duration

        /// The defaults.
        public static var defaults: Configuration {
            Configuration(
                maxReceiveMessageSize: 4 * 1024 * 1024,
                maxSendMessageSize: 4 * 1024 * 1024,
                streamWindowSize: 1024 * 1024,
                maxQueuedRequestBytes: 256 * 1024,
                connectTimeout: .seconds(10))
        }
    }
}

/// Per-call options.
public struct CallOptions: Sendable {
    /// How long the call may take; sent as `grpc-timeout` and enforced locally.
    public var timeout: Duration?

    /// Creates options.
    public init(timeout: Duration? = nil) {
        self.timeout = timeout
    }

    /// No timeout.
    public static var defaults: CallOptions { CallOptions() }
}
