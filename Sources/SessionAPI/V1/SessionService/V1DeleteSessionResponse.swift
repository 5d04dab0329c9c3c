package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionService.DeleteSession.
///
/// The `sessiongw.v1.DeleteSessionResponse` message.
public struct V1DeleteSessionResponse: Sendable, Hashable {
    /// The session as it is now, DELETING; absent when it was already gone.
    public var session: V1Session?

    /// Creates the message; every field defaults to its protobuf default.
    public init(session: V1Session? = nil) {
        self.session = session
    }
}

extension V1DeleteSessionResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__delete_session_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__DeleteSessionResponse>) {
        let c = cStruct.pointee
        session = c.session.map(V1Session.init(cStruct:))
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__DeleteSessionResponse> {
        let message = arena.allocate(Sessiongw__V1__DeleteSessionResponse.self)
        sessiongw__v1__delete_session_response__init(message)
        message.pointee.session = session?.cStruct(in: arena)
        return message
    }
}
