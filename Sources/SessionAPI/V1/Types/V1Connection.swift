package import CProtobufC
package import CProtos
package import RPCTransport

/// How to reach a running session's IDE.
///
/// The `sessiongw.v1.Connection` message.
public struct V1Connection: Sendable, Hashable {
    /// The URL to open.
    public var url: String
    /// The token that grants access. Returned only by
    /// SessionService.GetSessionConnection.
    public var accessToken: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(url: String = "", accessToken: String = "") {
        self.url = url
        self.accessToken = accessToken
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
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__Connection> {
        let message = arena.allocate(Sessiongw__V1__Connection.self)
        sessiongw__v1__connection__init(message)
        message.pointee.url = arena.string(url)
        message.pointee.access_token = arena.string(accessToken)
        return message
    }
}
