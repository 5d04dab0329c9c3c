package import CProtobufC
package import CGRPCProtos
package import RPCTransport

/// The response of `UnaryCall` and `CacheableUnaryCall` (`grpc.testing.SimpleResponse`).
public struct SimpleResponse: Sendable, Hashable {
    /// The payload of the requested size.
    public var payload: Payload?
    /// The caller's user name, when asked for.
    public var username: String
    /// The OAuth scope, when asked for.
    public var oauthScope: String
    /// The server's id, when asked for.
    public var serverID: String
    /// The route type, when asked for.
    public var grpclbRouteType: GrpclbRouteType
    /// The server's host name.
    public var hostname: String

    /// Creates a response; every field defaults to its protobuf default.
    public init(
        payload: Payload? = nil,
        username: String = "",
        oauthScope: String = "",
        serverID: String = "",
        grpclbRouteType: GrpclbRouteType = .unknown,
        hostname: String = ""
    ) {
        self.payload = payload
        self.username = username
        self.oauthScope = oauthScope
        self.serverID = serverID
        self.grpclbRouteType = grpclbRouteType
        self.hostname = hostname
    }
}

extension SimpleResponse: ProtobufCCodable {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__testing__simple_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Grpc__Testing__SimpleResponse>) {
        let c = cStruct.pointee
        payload = c.payload.map(Payload.init(cStruct:))
        username = ProtobufCField.string(c.username)
        oauthScope = ProtobufCField.string(c.oauth_scope)
        serverID = ProtobufCField.string(c.server_id)
        grpclbRouteType = GrpclbRouteType(c.grpclb_route_type)
        hostname = ProtobufCField.string(c.hostname)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Testing__SimpleResponse> {
        let message = arena.allocate(Grpc__Testing__SimpleResponse.self)
        grpc__testing__simple_response__init(message)
        message.pointee.payload = payload?.cStruct(in: arena)
        message.pointee.username = arena.string(username)
        message.pointee.oauth_scope = arena.string(oauthScope)
        message.pointee.server_id = arena.string(serverID)
        message.pointee.grpclb_route_type = grpclbRouteType.cValue
        message.pointee.hostname = arena.string(hostname)
        return message
    }
}
