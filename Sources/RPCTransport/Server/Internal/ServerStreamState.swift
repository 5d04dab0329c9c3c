internal import NIOCore

/// What the connection knows about one server stream, on the event loop: the request
/// headers as they arrive, the message deframer, and the response bytes waiting for
/// nghttp2 to send them.
final class ServerStreamState {
    let id: Int32

    // Request headers.
    var method = ""
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
    var outbound = CircularBuffer<[UInt8]>()
    var outboundOffset = 0
    var pendingTrailers: [(String, String)]?

    init(id: Int32, maxMessageSize: Int) {
        self.id = id
        self.deframer = GRPCMessageDeframer(maxMessageSize: maxMessageSize)
    }

    /// Copies queued response bytes into nghttp2's buffer; returns how many.
    func readOutbound(into target: UnsafeMutableRawBufferPointer) -> Int {
        var written = 0
        while written < target.count, let chunk = outbound.first {
            let take = min(chunk.count - outboundOffset, target.count - written)
            chunk.withUnsafeBytes { source in
                let slice = UnsafeRawBufferPointer(rebasing: source[outboundOffset..<outboundOffset + take])
                UnsafeMutableRawBufferPointer(rebasing: target[written..<written + take]).copyMemory(from: slice)
            }
            written += take
            outboundOffset += take
            if outboundOffset == chunk.count {
                outbound.removeFirst()
                outboundOffset = 0
            }
        }
        return written
    }
}

@available(*, unavailable)
extension ServerStreamState: Sendable {}
