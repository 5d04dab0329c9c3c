public import RPCTransport
internal import SessionAPI

extension RemoteProvider {
    /// How a ``RemoteProvider`` reaches its plugin and how long each call may take.
    ///
    /// ```swift
    /// var configuration = RemoteProvider.Configuration.defaults
    /// configuration.callTimeout = .seconds(30)
    /// configuration.timeouts[SessionProviderServiceMethods.resumeSession.method] = .seconds(300)
    /// let provider = try RemoteProvider(address: "unix:/run/slurm-provider.sock", configuration: configuration)
    /// ```
    public struct Configuration: Sendable {
        /// How long a call may take unless ``timeouts`` names its method. Default 60 s.
        public var callTimeout: Duration
        /// Longer (or shorter) limits for particular methods. By default `CreateCheckpoint`
        /// and `PauseSession` (which takes a final checkpoint) get 10 minutes, since they
        /// archive a session's filesystem. `WatchSessions` never times out: it lasts
        /// until the caller stops reading.
        public var timeouts: [RPCMethod: Duration]
        /// Trust and identity when the address is `https://host:port`; with it, a plain
        /// `host:port` is reached over TLS too. Nil for cleartext HTTP/2 and Unix sockets.
        public var tls: RPCClient.TLSConfiguration?
        /// Message size limits and the connect timeout of the underlying client.
        public var client: RPCClient.Configuration

        /// Creates a configuration.
        public init(
            callTimeout: Duration = .seconds(60),
            timeouts: [RPCMethod: Duration] = Self.defaultTimeouts,
            tls: RPCClient.TLSConfiguration? = nil,
            client: RPCClient.Configuration = .defaults
        ) {
            self.callTimeout = callTimeout
            self.timeouts = timeouts
            self.tls = tls
            self.client = client
        }

        /// 60 s per call, 10 minutes for `CreateCheckpoint` and `PauseSession`,
        /// cleartext, the client's default limits.
        public static var defaults: Configuration { Configuration() }

        /// The per-method limits of ``defaults``.
        public static let defaultTimeouts: [RPCMethod: Duration] = [
            SessionProviderServiceMethods.createCheckpoint.method: .seconds(600),
            SessionProviderServiceMethods.pauseSession.method: .seconds(600),
        ]

        /// The limit for one call of `method`.
        public func timeout(for method: RPCMethod) -> Duration {
            timeouts[method] ?? callTimeout
        }
    }
}
