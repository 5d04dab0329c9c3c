package import CProtobufC
package import CGRPCProtos
package import RPCTransport

/// The request of `UnaryCall` and `CacheableUnaryCall` (`grpc.testing.SimpleRequest`).
///
/// ```swift
/// let request = SimpleRequest(responseSize: 314_159, payload: Payload(zeros: 271_828))
/// ```
public struct SimpleRequest: Sendable, Hashable {
    /// The payload type wanted in the response.
    public var responseType: PayloadType
    /// The size of the response payload, in bytes.
    public var responseSize: Int32
    /// A payload sent to the server.
    public var payload: Payload?
    /// Whether the response should carry the caller's user name.
    public var fillUsername: Bool
    /// Whether the response should carry the OAuth scope.
    public var fillOAuthScope: Bool
    /// Whether the response should be compressed.
    public var responseCompressed: BoolValue?
    /// A status the server must answer with instead of a response.
    public var responseStatus: EchoStatus?
    /// Whether the server should expect a compressed request.
    public var expectCompressed: BoolValue?
    /// Whether the response should carry the server id.
    public var fillServerID: Bool
    /// Whether the response should carry the route type.
    public var fillGrpclbRouteType: Bool

    /// Creates a request; every field defaults to its protobuf default.
    public init(
        responseType: PayloadType = .compressable,
        responseSize: Int32 = 0,
        payload: Payload? = nil,
        fillUsername: Bool = false,
        fillOAuthScope: Bool = false,
        responseCompressed: BoolValue? = nil,
        responseStatus: EchoStatus? = nil,
        expectCompressed: BoolValue? = nil,
        fillServerID: Bool = false,
        fillGrpclbRouteType: Bool = false
    ) {
        self.responseType = responseType
        self.responseSize = responseSize
        self.payload = payload
        self.fillUsername = fillUsername
        self.fillOAuthScope = fillOAuthScope
        self.responseCompressed = responseCompressed
        self.responseStatus = responseStatus
        self.expectCompressed = expectCompressed
        self.fillServerID = fillServerID
        self.fillGrpclbRouteType = fillGrpclbRouteType
    }
}

extension SimpleRequest: ProtobufCCodable {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__testing__simple_request__init)
    }

    package init(cStruct: UnsafeMutablePointer<Grpc__Testing__SimpleRequest>) {
        let c = cStruct.pointee
        responseType = PayloadType(c.response_type)
        responseSize = c.response_size
        payload = c.payload.map(Payload.init(cStruct:))
        fillUsername = c.fill_username != 0
        fillOAuthScope = c.fill_oauth_scope != 0
        responseCompressed = c.response_compressed.map(BoolValue.init(cStruct:))
        responseStatus = c.response_status.map(EchoStatus.init(cStruct:))
        expectCompressed = c.expect_compressed.map(BoolValue.init(cStruct:))
        fillServerID = c.fill_server_id != 0
        fillGrpclbRouteType = c.fill_grpclb_route_type != 0
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Testing__SimpleRequest> {
        let message = arena.allocate(Grpc__Testing__SimpleRequest.self)
        grpc__testing__simple_request__init(message)
        message.pointee.response_type = responseType.cValue
        message.pointee.response_size = responseSize
        message.pointee.payload = payload?.cStruct(in: arena)
        message.pointee.fill_username = fillUsername ? 1 : 0
        message.pointee.fill_oauth_scope = fillOAuthScope ? 1 : 0
        message.pointee.response_compressed = responseCompressed?.cStruct(in: arena)
        message.pointee.response_status = responseStatus?.cStruct(in: arena)
        message.pointee.expect_compressed = expectCompressed?.cStruct(in: arena)
        message.pointee.fill_server_id = fillServerID ? 1 : 0
        message.pointee.fill_grpclb_route_type = fillGrpclbRouteType ? 1 : 0
        return message
    }
}
