/// Receives what an ``NGHTTP2Session`` decodes, on the connection's event loop.
///
/// Every method is called from inside `nghttp2_session_mem_recv` or
/// `nghttp2_session_mem_send`; implementations must not re-enter those calls.
protocol HTTP2SessionDelegate: AnyObject {
    /// A header block starts on a stream. Return false to refuse the stream (it is
    /// reset with `REFUSED_STREAM`).
    func http2StreamHeadersBegin(streamID: Int32) -> Bool

    /// One header field of the current block. Return false to reset the stream.
    func http2StreamHeader(streamID: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> Bool

    /// A header block is complete.
    func http2StreamHeadersEnd(streamID: Int32, endStream: Bool)

    /// A chunk of a DATA frame's payload.
    func http2StreamData(streamID: Int32, bytes: UnsafeRawBufferPointer)

    /// The peer half-closed the stream (END_STREAM on a DATA frame).
    func http2StreamEnded(streamID: Int32)

    /// The stream is closed; `errorCode` is 0 for a clean close.
    func http2StreamClosed(streamID: Int32, errorCode: UInt32)

    /// nghttp2 wants the next bytes of a stream's body. Copy at most `into.count`
    /// bytes and say what follows.
    func http2StreamReadBody(streamID: Int32, into: UnsafeMutableRawBufferPointer) -> HTTP2BodyChunk

    /// A PING frame arrived (not an acknowledgement).
    func http2PingReceived()

    /// The peer sent GOAWAY.
    func http2GoAwayReceived(lastStreamID: Int32, errorCode: UInt32)
}

/// The answer to ``HTTP2SessionDelegate/http2StreamReadBody(streamID:into:)``.
enum HTTP2BodyChunk {
    /// `count` bytes were copied; more may follow.
    case bytes(Int)
    /// Nothing to send now; the stream resumes when more is queued.
    case deferred
    /// `count` bytes were copied and the body is complete. With trailers, they are
    /// submitted and end the stream; without, the last DATA frame ends it.
    case end(Int, trailers: HTTP2HeaderBlock?)
}
