/// A caller connected to a session through the connection proxy, as
/// ``ConnectedUsers`` reports it.
public struct ConnectedUser: Hashable, Sendable {
    /// The caller.
    public var user: String
    /// When its current presence began, in seconds since 1970.
    public var since: Double
    /// When it last made a request or had a connection open.
    public var lastSeen: Double
    /// How many connections (WebSocket tunnels, requests in flight) it has open.
    public var openConnections: Int

    /// Creates an entry.
    public init(user: String, since: Double, lastSeen: Double, openConnections: Int) {
        self.user = user
        self.since = since
        self.lastSeen = lastSeen
        self.openConnections = openConnections
    }
}
