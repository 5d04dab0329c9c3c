extension GatewayConfiguration {
    /// The connection proxy: the listener through which members open running
    /// sessions' IDEs (``ConnectionProxy``), and how long the links that
    /// `GetSessionConnection` hands out stay valid.
    ///
    /// ```yaml
    /// connect:
    ///   listen: 127.0.0.1:8081
    ///   publicURL: https://sessions.example.com
    ///   sessionHost: "{session}.sessions.example.com"
    ///   linkLifetime: 10m
    ///   cookieLifetime: 12h
    /// ```
    ///
    /// `connect: {enabled: false}` turns the proxy off; `GetSessionConnection` then
    /// returns the backend's own URL and token, as without this section's feature.
    public struct Connect: Hashable, Sendable {
        /// The address of the embedded default's proxy listener.
        public static let defaultListen = "127.0.0.1:8081"

        /// Where the proxy listens: `HOST:PORT` (port 0 for any free port).
        public var listen: String
        /// Whether `listen` is the embedded default rather than configured: then, when
        /// the port is taken, the proxy takes a free port instead of failing the start.
        public var listenIsDefault: Bool
        /// The URL users reach the proxy at, such as `https://sessions.example.com`
        /// behind a load balancer; nil for `http(s)://` and the listening address.
        public var publicURL: String?
        /// A wildcard host that gives each session its own origin, such as
        /// `{session}.sessions.example.com` (a wildcard DNS name and certificate point
        /// every such host at the proxy, as with JupyterHub's subdomains or Coder's
        /// subdomain apps). Links then use it, and the path-based
        /// `/sessions/WORKSPACE/SESSION/` addresses are refused. Nil (the default) keeps
        /// path-based links on one host, where pages of different sessions share an
        /// origin (see the README's limits).
        public var sessionHost: String?
        /// How long a link ticket from `GetSessionConnection` may be used to open
        /// the session (10 minutes by default).
        public var linkLifetime: Duration
        /// How long the cookie that opening a link sets keeps the browser signed in
        /// (12 hours by default); every request is still checked against membership.
        public var cookieLifetime: Duration
        /// How long after its last request a caller still counts as connected.
        public var presenceWindow: Duration
        /// How long the proxy waits for a backend to accept a connection and to
        /// start answering.
        public var backendTimeout: Duration
        /// How often an open tunnel (WebSocket) re-checks its caller's membership.
        public var recheckInterval: Duration

        /// Creates the settings; every value has the default named on its property.
        public init(
            listen: String = Self.defaultListen, listenIsDefault: Bool = true, publicURL: String? = nil,
            linkLifetime: Duration = .seconds(600), cookieLifetime: Duration = .seconds(12 * 3600),
            presenceWindow: Duration = .seconds(300), backendTimeout: Duration = .seconds(30),
            recheckInterval: Duration = .seconds(5)
        ) {
            self.listen = listen
            self.listenIsDefault = listenIsDefault
            self.publicURL = publicURL
            self.linkLifetime = linkLifetime
            self.cookieLifetime = cookieLifetime
            self.presenceWindow = presenceWindow
            self.backendTimeout = backendTimeout
            self.recheckInterval = recheckInterval
        }
    }
}
