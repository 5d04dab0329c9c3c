package import CProtobufC
package import CProtos
package import RPCTransport

/// The response of SessionService.ListSessionEvents.
///
/// The `sessiongw.v1.ListSessionEventsResponse` message.
public struct V1ListSessionEventsResponse: Sendable, Hashable {
    /// The events of this page, oldest first.
    public var events: [V1SessionEvent]
    /// The token for the next page; empty when this is the last page.
    public var nextPageToken: String

    /// Creates the message; every field defaults to its protobuf default.
    public init(events: [V1SessionEvent] = [], nextPageToken: String = "") {
        self.events = events
        self.nextPageToken = nextPageToken
    }
}

extension V1ListSessionEventsResponse: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__list_session_events_response__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__ListSessionEventsResponse>) {
        let c = cStruct.pointee
        events = ProtobufCField.messages(c.events, count: c.n_events, V1SessionEvent.init(cStruct:))
        nextPageToken = ProtobufCField.string(c.next_page_token)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__ListSessionEventsResponse> {
        let message = arena.allocate(Sessiongw__V1__ListSessionEventsResponse.self)
        sessiongw__v1__list_session_events_response__init(message)
        message.pointee.n_events = events.count
        message.pointee.events = arena.messages(events) { $0.cStruct(in: arena) }
        message.pointee.next_page_token = arena.string(nextPageToken)
        return message
    }
}
