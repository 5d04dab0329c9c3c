internal import CNghttp2
internal import NIOCore

/// One HTTP/2 connection's protocol state, held by libnghttp2 and driven through its
/// memory-buffer API: bytes from the socket go in with ``receive(_:)``, bytes for the
/// socket come out of ``drainOutput(into:)``, and decoded events reach the delegate.
///
/// nghttp2 does all framing, HPACK and flow control. Automatic window updates are
/// off: the owner credits received body bytes with ``consume(streamID:count:)`` once
/// they have been handed on, which is what bounds memory for a slow reader.
///
/// Bound to one event loop; not thread-safe.
final class NGHTTP2Session {
    /// Client or server side of the connection.
    enum Role { case client, server }

    /// Settings announced and hardening options set on the session.
    struct Options {
        var maxConcurrentStreams: Int
        var maxHeaderListSize: Int
        var initialWindowSize: Int
        var connectionWindowSize: Int
        var streamResetBurst: Int
        var streamResetRate: Int
        var maxContinuations: Int
        var maxSettingsEntries: Int
        var maxOutboundAcks: Int
    }

    private var session: OpaquePointer?
    /// Unowned and unchecked: the delegate owns the session, and nghttp2 calls back only
    /// from inside the session's own methods.
    unowned(unsafe) let delegate: any HTTP2SessionDelegate

    init(role: Role, options: Options, delegate: any HTTP2SessionDelegate) throws {
        self.delegate = delegate
        var callbacks: OpaquePointer?
        try Self.check(nghttp2_session_callbacks_new(&callbacks), "nghttp2_session_callbacks_new")
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.installCallbacks(callbacks)

        var option: OpaquePointer?
        try Self.check(nghttp2_option_new(&option), "nghttp2_option_new")
        defer { nghttp2_option_del(option) }
        nghttp2_option_set_no_auto_window_update(option, 1)
        nghttp2_option_set_max_settings(option, options.maxSettingsEntries)
        nghttp2_option_set_max_outbound_ack(option, options.maxOutboundAcks)
        nghttp2_option_set_max_continuations(option, options.maxContinuations)
        nghttp2_option_set_stream_reset_rate_limit(
            option, UInt64(options.streamResetBurst), UInt64(options.streamResetRate))

        let userData = Unmanaged.passUnretained(self).toOpaque()
        switch role {
        case .server:
            try Self.check(nghttp2_session_server_new2(&session, callbacks, userData, option), "nghttp2_session_server_new2")
        case .client:
            try Self.check(nghttp2_session_client_new2(&session, callbacks, userData, option), "nghttp2_session_client_new2")
        }

        let settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue),
                                   value: UInt32(options.maxConcurrentStreams)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue),
                                   value: UInt32(options.maxHeaderListSize)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue),
                                   value: UInt32(options.initialWindowSize)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
        ]
        try Self.check(nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), settings, settings.count),
                       "nghttp2_submit_settings")
        if options.connectionWindowSize > 65535 {
            try Self.check(
                nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0,
                                                      Int32(options.connectionWindowSize)),
                "nghttp2_session_set_local_window_size")
        }
    }

    deinit {
        nghttp2_session_del(session)
    }

    // MARK: Input and output

    /// Feeds bytes read from the socket. Throws when the peer broke the protocol or
    /// tripped a flood limit; the connection must then send what is queued (a GOAWAY)
    /// and close.
    func receive(_ buffer: ByteBuffer) throws {
        try buffer.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            let result = nghttp2_session_mem_recv(session, base, bytes.count)
            if result < 0 { throw HTTP2Error(code: Int32(result), operation: "receiving HTTP/2 frames") }
        }
    }

    /// Appends everything nghttp2 has queued for the peer to `buffer`.
    func drainOutput(into buffer: inout ByteBuffer) throws {
        while true {
            var data: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &data)
            if count < 0 { throw HTTP2Error(code: Int32(count), operation: "serializing HTTP/2 frames") }
            guard count > 0, let data else { return }
            buffer.writeBytes(UnsafeRawBufferPointer(start: data, count: count))
        }
    }

    /// Whether the session has finished: both sides are done (after GOAWAY) or a
    /// fatal error occurred.
    var isFinished: Bool {
        nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0
    }

    /// Whether nghttp2 has frames queued to send.
    var wantsWrite: Bool { nghttp2_session_want_write(session) != 0 }

    // MARK: Submitting frames

    /// Sends response headers. With `hasBody`, the body is pulled through the
    /// delegate's ``HTTP2SessionDelegate/http2StreamReadBody(streamID:into:)``; without,
    /// the HEADERS frame ends the stream (a gRPC trailers-only response).
    func submitResponse(streamID: Int32, headers: HTTP2HeaderBlock, hasBody: Bool) throws {
        try headers.withNameValuePairs { fields, count in
            if hasBody {
                var provider = Self.bodyProvider
                try Self.check(nghttp2_submit_response(session, streamID, fields, count, &provider), "nghttp2_submit_response")
            } else {
                try Self.check(nghttp2_submit_response(session, streamID, fields, count, nil), "nghttp2_submit_response")
            }
        }
    }

    /// Opens a stream with request headers whose body is pulled through the delegate.
    /// Returns the new stream's id.
    func submitRequest(headers: HTTP2HeaderBlock) throws -> Int32 {
        try headers.withNameValuePairs { fields, count in
            var provider = Self.bodyProvider
            let streamID = nghttp2_submit_request(session, nil, fields, count, &provider, nil)
            try Self.check(streamID, "nghttp2_submit_request")
            return streamID
        }
    }

    /// Sends trailers, ending the stream. Only valid once the body is complete.
    func submitTrailers(streamID: Int32, trailers: HTTP2HeaderBlock) throws {
        try trailers.withNameValuePairs { fields, count in
            try Self.check(nghttp2_submit_trailer(session, streamID, fields, count), "nghttp2_submit_trailer")
        }
    }

    /// Resets a stream with an HTTP/2 error code.
    func resetStream(_ streamID: Int32, errorCode: HTTP2ErrorCode) {
        _ = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, errorCode.rawValue)
    }

    /// Sends GOAWAY naming the last stream that will be processed.
    func goAway(errorCode: HTTP2ErrorCode, lastStreamID: Int32? = nil, debugData: String = "") {
        let last = lastStreamID ?? nghttp2_session_get_last_proc_stream_id(session)
        var debug = Array(debugData.utf8)
        _ = nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, errorCode.rawValue, &debug, debug.count)
    }

    /// The highest stream id the peer opened that this side processed.
    var lastProcessedStreamID: Int32 { nghttp2_session_get_last_proc_stream_id(session) }

    /// Tells nghttp2 a deferred body has more to send.
    func resumeBody(streamID: Int32) {
        _ = nghttp2_session_resume_data(session, streamID)
    }

    /// Returns flow-control credit for body bytes handed on to the application.
    func consume(streamID: Int32, count: Int) {
        guard count > 0 else { return }
        if nghttp2_session_consume(session, streamID, count) != 0 {
            // The stream is gone; the connection window still needs the credit.
            _ = nghttp2_session_consume_connection(session, count)
        }
    }

    /// Returns connection-level credit for bytes of a stream that closed before they
    /// were handed on.
    func consumeConnection(count: Int) {
        guard count > 0 else { return }
        _ = nghttp2_session_consume_connection(session, count)
    }

    /// Sends a PING.
    func ping() {
        _ = nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
    }

    // MARK: Internals

    private static func check(_ result: Int32, _ operation: String) throws {
        if result < 0 { throw HTTP2Error(code: result, operation: operation) }
    }

    fileprivate static func from(_ userData: UnsafeMutableRawPointer?) -> NGHTTP2Session {
        Unmanaged<NGHTTP2Session>.fromOpaque(userData!).takeUnretainedValue()
    }

    private static let bodyProvider = nghttp2_data_provider(
        source: nghttp2_data_source(ptr: nil),
        read_callback: { _, streamID, buffer, length, flags, _, userData in
            let session = NGHTTP2Session.from(userData)
            let target = UnsafeMutableRawBufferPointer(start: buffer, count: length)
            switch session.delegate.http2StreamReadBody(streamID: streamID, into: target) {
            case .bytes(let count):
                return count
            case .deferred:
                return Int(NGHTTP2_ERR_DEFERRED.rawValue)
            case .end(let count, let trailers):
                flags!.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
                if let trailers {
                    flags!.pointee |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
                    do {
                        try session.submitTrailers(streamID: streamID, trailers: trailers)
                    } catch {
                        return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
                    }
                }
                return count
            }
        }
    )
}

extension NGHTTP2Session {
    private static func installCallbacks(_ callbacks: OpaquePointer?) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
            let session = NGHTTP2Session.from(userData)
            if session.delegate.http2StreamHeadersBegin(streamID: frame.pointee.hd.stream_id) { return 0 }
            return Int32(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
            guard let frame else { return 0 }
            let session = NGHTTP2Session.from(userData)
            let accepted = session.delegate.http2StreamHeader(
                streamID: frame.pointee.hd.stream_id,
                name: UnsafeRawBufferPointer(start: name, count: nameLength),
                value: UnsafeRawBufferPointer(start: value, count: valueLength))
            return accepted ? 0 : Int32(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            guard let frame else { return 0 }
            let session = NGHTTP2Session.from(userData)
            let header = frame.pointee.hd
            let endStream = header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            switch UInt32(header.type) {
            case NGHTTP2_HEADERS.rawValue:
                session.delegate.http2StreamHeadersEnd(streamID: header.stream_id, endStream: endStream)
            case NGHTTP2_DATA.rawValue where endStream:
                session.delegate.http2StreamEnded(streamID: header.stream_id)
            case NGHTTP2_PING.rawValue where header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0:
                session.delegate.http2PingReceived()
            case NGHTTP2_GOAWAY.rawValue:
                session.delegate.http2GoAwayReceived(
                    lastStreamID: frame.pointee.goaway.last_stream_id, errorCode: frame.pointee.goaway.error_code)
            default:
                break
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, userData in
            NGHTTP2Session.from(userData).delegate.http2StreamData(
                streamID: streamID, bytes: UnsafeRawBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, userData in
            NGHTTP2Session.from(userData).delegate.http2StreamClosed(streamID: streamID, errorCode: errorCode)
            return 0
        }
    }
}

/// HTTP/2 error codes (RFC 9113 section 7) used by the transport.
enum HTTP2ErrorCode: UInt32 {
    case noError = 0x0
    case protocolError = 0x1
    case internalError = 0x2
    case flowControlError = 0x3
    case refusedStream = 0x7
    case cancel = 0x8
    case enhanceYourCalm = 0xB
}

@available(*, unavailable)
extension NGHTTP2Session: Sendable {}
