package import CProtobufC
package import CProtos
package import RPCTransport

/// How to reach a running session's IDE.
///
/// The `sessiongw.v1.Connection` message.
public struct V1Connection: Sendable, Hashable {
    /// The URL to open. With the gateway's connection proxy: the session's address on
    /// the proxy with `?access_token=TOKEN` (a browser opening it gets a cookie and is
    /// redirected to the address without the token).
    public var url: String
    /// The token that grants access. With the connection proxy: a short-lived link
    /// ticket bound to the workspace, the session and the caller, accepted as the
    /// `access_token` query parameter, as `Authorization: Bearer` or as
    /// `X-Session-Token`. Returned only by SessionService.GetSessionConnection.
    public var accessToken: String
    /// When the access token stops opening the link, in seconds since 1970; 0 when it
    /// does not expire (a gateway without the connection proxy).
    public var accessTokenExpireTimeSeconds: Double

    /// Creates the message; every field defaults to its protobuf default.
    public init(url: String = "", accessToken: String = "", accessTokenExpireTimeSeconds: Double = 0) {
        self.url = url
        self.accessToken = accessToken
        self.accessTokenExpireTimeSeconds = accessTokenExpireTimeSeconds
    }
}

extension V1Connection: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__connection__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__Connection>) {
        let c = cStruct.pointee
        url = ProtobufCField.string(c.url)
        accessToken = ProtobufCField.string(c.access_token)
        accessTokenExpireTimeSeconds = c.access_token_expire_time_seconds
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__Connection> {
        let message = arena.allocate(Sessiongw__V1__Connection.self)
        sessiongw__v1__connection__init(message)
        message.pointee.url = arena.string(url)
        message.pointee.access_token = arena.string(accessToken)
        message.pointee.access_token_expire_time_seconds = accessTokenExpireTimeSeconds
        return message
    }
}
