internal import NIOCore

/// What a client connection knows about one stream, on the event loop.
final class ClientStreamState {
    let call: ClientCall
    var deframer: GRPCMessageDeframer
    var outbound = OutboundQueue()
    var requestEnded = false
    var headerBlock: [(String, String)] = []
    var responseHeadersReceived = false
    var statusReceived = false
    var withheldCredit = 0
    var deadlineTimer: Scheduled<Void>?

    init(call: ClientCall, maxMessageSize: Int) {
        self.call = call
        self.deframer = GRPCMessageDeframer(maxMessageSize: maxMessageSize)
    }
}

@available(*, unavailable)
extension ClientStreamState: Sendable {}
