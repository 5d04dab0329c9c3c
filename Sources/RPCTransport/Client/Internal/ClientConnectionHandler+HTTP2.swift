internal import NIOCore

/// The gRPC client protocol on top of nghttp2's events: response headers, messages,
/// trailers and resets turned into what each call sees.
extension ClientConnectionHandler: HTTP2SessionDelegate {
    func http2StreamHeadersBegin(streamID: Int32) -> Bool {
        stream(streamID)?.headerBlock = []
        return true
    }

    func http2StreamHeader(streamID: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> Bool {
        stream(streamID)?.headerBlock.append(
            (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        return true
    }

    func http2StreamHeadersEnd(streamID: Int32, endStream: Bool) {
        guard let stream = stream(streamID), !stream.statusReceived else { return }
        let block = stream.headerBlock
        stream.headerBlock = []
        let field = { (name: String) in block.first { $0.0 == name }?.1 }
        if !stream.responseHeadersReceived {
            stream.responseHeadersReceived = true
            let httpStatus = field(":status").flatMap { Int($0) } ?? 0
            if field("grpc-status") == nil {
                guard httpStatus == 200 else {
                    finish(stream, status: RPCError(
                        GRPCHeaders.statusCode(forHTTPStatus: httpStatus), "the server answered HTTP \(httpStatus)"))
                    return
                }
                guard let contentType = field("content-type"),
                      ServerConnectionHandler.isGRPCContentType(contentType) else {
                    finish(stream, status: RPCError(.unknown, "the server answered without a gRPC content-type"))
                    return
                }
                if !endStream {
                    stream.call.receivedHeaders(metadata(of: block))
                    return
                }
            }
        }
        finish(stream, status: status(of: block), trailing: metadata(of: block))
    }

    func http2StreamData(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = stream(streamID), !stream.statusReceived else {
            session.consume(streamID: streamID, count: bytes.count)
            return
        }
        var withinBound = true
        do {
            try stream.deframer.append(bytes) { message in
                guard !stream.statusReceived else { return }
                if message.compressed {
                    finish(stream, status: RPCError(.internalError, "the server sent a compressed message, which this client did not ask for"))
                    return
                }
                withinBound = stream.call.bridge.deliver(message.bytes) && withinBound
            }
        } catch {
            finish(stream, status: error.status(direction: "response"))
        }
        if withinBound && stream.withheldCredit == 0 {
            session.consume(streamID: streamID, count: bytes.count)
        } else {
            stream.withheldCredit += bytes.count
        }
    }

    func http2StreamEnded(streamID: Int32) {
        guard let stream = stream(streamID), !stream.statusReceived else { return }
        finish(stream, status: RPCError(.internalError, "the server ended the response without a status"))
    }

    func http2StreamClosed(streamID: Int32, errorCode: UInt32) {
        guard let stream = removeStream(streamID) else { return }
        stream.deadlineTimer?.cancel()
        session.consumeConnection(count: stream.withheldCredit)
        guard !stream.statusReceived else { return }
        stream.statusReceived = true
        stream.call.failed(Self.status(forReset: errorCode))
    }

    func http2StreamReadBody(streamID: Int32, into target: UnsafeMutableRawBufferPointer) -> HTTP2BodyChunk {
        guard let stream = stream(streamID) else { return .end(0, trailers: nil) }
        let count = stream.outbound.read(into: target)
        if count > 0 { stream.call.bridge.outboundDrained(count) }
        if stream.outbound.isEmpty && stream.requestEnded { return .end(count, trailers: nil) }
        return count > 0 ? .bytes(count) : .deferred
    }

    func http2PingReceived() {}

    func http2GoAwayReceived(lastStreamID: Int32, errorCode: UInt32) {
        status.markUnusable()
    }

    // MARK: Helpers

    private func finish(_ stream: ClientStreamState, status: RPCError?, trailing: Metadata = [:]) {
        guard !stream.statusReceived else { return }
        stream.statusReceived = true
        stream.deadlineTimer?.cancel()
        if status == nil, stream.deframer.hasPartialMessage {
            stream.call.receivedStatus(GRPCMessageDeframer.Failure.truncated.status(direction: "response"),
                                       trailing: trailing)
        } else {
            stream.call.receivedStatus(status, trailing: trailing)
        }
        if !stream.requestEnded {
            // The server is done; stop sending the rest of the request.
            session.resetStream(stream.call.streamID, errorCode: .cancel)
        }
    }

    private func status(of block: [(String, String)]) -> RPCError? {
        guard let value = block.first(where: { $0.0 == "grpc-status" })?.1, let code = Int(value) else {
            return RPCError(.internalError, "the server's trailers carry no valid grpc-status")
        }
        guard code != 0 else { return nil }
        let message = block.first { $0.0 == "grpc-message" }.map { GRPCStatusMessage.decode($0.1) } ?? ""
        return RPCError(RPCError.Code(rawValue: code), message, metadata: metadata(of: block))
    }

    private func metadata(of block: [(String, String)]) -> Metadata {
        var metadata = Metadata()
        for (name, value) in block { _ = GRPCHeaders.add(name: name, value: value, to: &metadata) }
        return metadata
    }

    /// The status of a call whose stream was reset, as the gRPC protocol maps HTTP/2
    /// error codes.
    static func status(forReset errorCode: UInt32) -> RPCError {
        switch HTTP2ErrorCode(rawValue: errorCode) {
        case .refusedStream?: RPCError(.unavailable, "the server refused the stream; retry", cause: StreamRefused())
        case .cancel?: RPCError(.cancelled, "the server cancelled the call")
        case .enhanceYourCalm?: RPCError(.resourceExhausted, "the server asked the client to slow down")
        default: RPCError(.internalError, "the stream was reset with HTTP/2 error code \(errorCode)")
        }
    }
}

/// The cause of a call that never reached the server's handlers (REFUSED_STREAM, a
/// stream above a GOAWAY's last stream id, or a connection already closing): safe to
/// retry on another connection.
struct StreamRefused: Error {}
