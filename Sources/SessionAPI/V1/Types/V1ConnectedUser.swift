package import CProtobufC
package import CProtos
package import RPCTransport

/// A caller connected to a session through the gateway's connection proxy.
///
/// The `sessiongw.v1.ConnectedUser` message.
public struct V1ConnectedUser: Sendable, Hashable {
    /// The caller: an API token's caller, a JWT's `sub`, or `admin`.
    public var user: String
    /// When its current presence began (its first request after an absence).
    public var sinceSeconds: Double
    /// When it last made a request or had a connection open.
    public var lastSeenSeconds: Double
    /// How many connections (such as WebSocket tunnels) it has open now.
    public var openConnections: Int32

    /// Creates the message; every field defaults to its protobuf default.
    public init(user: String = "", sinceSeconds: Double = 0, lastSeenSeconds: Double = 0, openConnections: Int32 = 0) {
        self.user = user
        self.sinceSeconds = sinceSeconds
        self.lastSeenSeconds = lastSeenSeconds
        self.openConnections = openConnections
    }
}

extension V1ConnectedUser: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__connected_user__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__ConnectedUser>) {
        let c = cStruct.pointee
        user = ProtobufCField.string(c.user)
        sinceSeconds = c.since_seconds
        lastSeenSeconds = c.last_seen_seconds
        openConnections = c.open_connections
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__ConnectedUser> {
        let message = arena.allocate(Sessiongw__V1__ConnectedUser.self)
        sessiongw__v1__connected_user__init(message)
        message.pointee.user = arena.string(user)
        message.pointee.since_seconds = sinceSeconds
        message.pointee.last_seen_seconds = lastSeenSeconds
        message.pointee.open_connections = openConnections
        return message
    }
}
