internal import NIOCore

/// What the connection knows about one server stream, on the event loop: the request
/// headers as they arrive, the message deframer, and the response bytes waiting for
/// nghttp2 to send them.
final class ServerStreamState {
    let id: Int32

    // Request headers.
    var method = ""
    /// The route `:path` names, when it names a registered method.
    var route: ServerRoute?
    /// `:path` when it names no registered method.
    var path = ""
    var contentType = ""
    var timeout: String?
    var encoding: String?
    var metadata = Metadata()
    var headerListSize = 0
    var invalidHeader: String?

    // Request body.
    var deframer: GRPCMessageDeframer
    var requestEnded = false
    /// Received body bytes not yet credited back to the peer.
    var withheldCredit = 0

    // The call.
    var handle: ServerStreamHandle?
    var deadlineTimer: Scheduled<Void>?

    // Response.
    var responseHeadersSent = false
    var responseFinished = false
    var outbound = OutboundQueue()
    var pendingTrailers: HTTP2HeaderBlock?

    init(id: Int32, maxMessageSize: Int) {
        self.id = id
        self.deframer = GRPCMessageDeframer(maxMessageSize: maxMessageSize)
    }
}

@available(*, unavailable)
extension ServerStreamState: Sendable {}
