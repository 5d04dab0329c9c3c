internal import Logging
internal import NIOCore

/// The gRPC server protocol on top of nghttp2's events: validating request headers,
/// routing, deframing request messages and pulling response bytes.
extension ServerConnectionHandler: HTTP2SessionDelegate {
    func http2StreamHeadersBegin(streamID: Int32) -> Bool {
        // A second header block on an open stream carries request trailers, which
        // gRPC clients do not send; its fields are ignored.
        guard stream(streamID) == nil else { return true }
        addStream(ServerStreamState(id: streamID, maxMessageSize: configuration.maxReceiveMessageSize))
        return true
    }

    func http2StreamHeader(streamID: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> Bool {
        guard let stream = stream(streamID), stream.handle == nil else { return true }
        // The size as SETTINGS_MAX_HEADER_LIST_SIZE counts it: name, value, 32 bytes.
        stream.headerListSize += name.count + value.count + 32
        guard stream.headerListSize <= configuration.maxHeaderListSize else { return true }
        // The fields every call sends are recognised on their bytes; strings are made
        // only of values that are kept.
        if name.equals(":path") {
            if let route = route(forPath: value) {
                stream.route = route
            } else {
                stream.route = nil
                stream.path = String(decoding: value, as: UTF8.self)
            }
        } else if name.equals(":method") {
            stream.method = value.equals("POST") ? "POST" : String(decoding: value, as: UTF8.self)
        } else if name.equals("content-type") {
            stream.contentType = value.equals("application/grpc")
                ? "application/grpc" : String(decoding: value, as: UTF8.self)
        } else if name.equals("grpc-timeout") {
            stream.timeout = String(decoding: value, as: UTF8.self)
        } else if name.equals("grpc-encoding") {
            stream.encoding = String(decoding: value, as: UTF8.self)
        } else if !GRPCHeaders.isReserved(name) {
            let name = String(decoding: name, as: UTF8.self)
            let value = String(decoding: value, as: UTF8.self)
            if !GRPCHeaders.addUnreserved(name: name, value: value, to: &stream.metadata), stream.invalidHeader == nil {
                stream.invalidHeader = "metadata '\(name)' is not valid base64"
            }
        }
        return true
    }

    func http2StreamHeadersEnd(streamID: Int32, endStream: Bool) {
        guard let stream = stream(streamID) else { return }
        if stream.handle != nil || stream.responseFinished {
            if endStream { endRequest(stream) }
            return
        }
        stream.requestEnded = endStream
        startCall(stream)
    }

    func http2StreamData(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = stream(streamID) else {
            session.consumeConnection(count: bytes.count)
            return
        }
        guard let handle = stream.handle, !stream.responseFinished else {
            session.consume(streamID: streamID, count: bytes.count)
            return
        }
        var withinBound = true
        do {
            try stream.deframer.append(bytes) { message in
                guard withinBound, !stream.responseFinished else { return }
                if message.compressed {
                    refuseCompressedMessage(stream)
                    return
                }
                withinBound = handle.bridge.deliver(message.bytes)
            }
        } catch {
            respondTrailersOnly(stream, status: error.status(direction: "request"))
        }
        if withinBound && stream.withheldCredit == 0 {
            session.consume(streamID: streamID, count: bytes.count)
        } else {
            stream.withheldCredit += bytes.count
        }
    }

    func http2StreamEnded(streamID: Int32) {
        guard let stream = stream(streamID) else { return }
        endRequest(stream)
    }

    func http2StreamClosed(streamID: Int32, errorCode: UInt32) {
        guard let stream = removeStream(streamID) else { return }
        stream.deadlineTimer?.cancel()
        session.consumeConnection(count: stream.withheldCredit)
        if let handle = stream.handle, !stream.responseFinished {
            handle.bridge.fail(RPCError(.cancelled, "the client cancelled the call"))
        }
    }

    func http2StreamReadBody(streamID: Int32, into target: UnsafeMutableRawBufferPointer) -> HTTP2BodyChunk {
        guard let stream = stream(streamID) else { return .end(0, trailers: nil) }
        let count = stream.outbound.read(into: target)
        if count > 0 {
            stream.handle?.bridge.outboundDrained(count)
            // Each DATA frame invites the peer's next bandwidth probe (grpc-go, C-core and
            // grpc-java all PING as response data arrives): that PING is no strike.
            resetPingStrikes()
        }
        if stream.outbound.isEmpty, let trailers = stream.pendingTrailers {
            stream.pendingTrailers = nil
            resetPingStrikes()
            return .end(count, trailers: trailers)
        }
        return count > 0 ? .bytes(count) : .deferred
    }

    func http2PingReceived() {
        recordPing()
    }

    func http2GoAwayReceived(lastStreamID: Int32, errorCode: UInt32) {
        logger.trace("client sent GOAWAY", metadata: ["rpc.peer": "\(peer)", "http2.error": "\(errorCode)"])
    }

    // MARK: Starting calls

    private func startCall(_ stream: ServerStreamState) {
        if stream.headerListSize > configuration.maxHeaderListSize {
            respondTrailersOnly(stream, status: RPCError(
                .resourceExhausted,
                "request headers of \(stream.headerListSize) bytes exceed the limit of \(configuration.maxHeaderListSize) bytes"))
            return
        }
        guard stream.method == "POST" else {
            respondTrailersOnly(stream, status: RPCError(.unimplemented, "gRPC requires POST, not \(stream.method)"),
                                httpStatus: 405)
            return
        }
        guard Self.isGRPCContentType(stream.contentType) else {
            let shown = stream.contentType.isEmpty ? "none" : "'\(stream.contentType)'"
            respondTrailersOnly(
                stream,
                status: RPCError(.unknown, "content-type \(shown) is not a gRPC content type; use application/grpc"),
                httpStatus: 415)
            return
        }
        if let invalid = stream.invalidHeader {
            respondTrailersOnly(stream, status: RPCError(.invalidArgument, invalid))
            return
        }
        var deadline: ContinuousClock.Instant?
        var timeout: Duration?
        if let value = stream.timeout {
            guard let parsed = GRPCTimeout.parse(value) else {
                respondTrailersOnly(stream, status: RPCError(.invalidArgument, "grpc-timeout '\(value)' is not valid"))
                return
            }
            timeout = parsed
            deadline = .now + parsed
        }
        guard let route = stream.route else {
            respondTrailersOnly(stream, status: unimplemented(path: stream.path))
            return
        }

        let response = ServerResponseMetadata()
        let handle = ServerStreamHandle(
            streamID: stream.id,
            connection: reference,
            responseMetadata: response,
            configuration: configuration)
        stream.handle = handle
        if let timeout {
            stream.deadlineTimer = eventLoop.assumeIsolated().scheduleTask(
                in: .nanoseconds(timeout.nanoseconds)
            ) { [self] in
                deadlineExpired(stream.id)
            }
        }
        var callContext = ServerContext(
            method: route.method, metadata: stream.metadata, deadline: deadline, peer: peer, logger: route.logger,
            response: response)
        callContext.clientCertificateCommonName = clientCertificateCommonName
        stream.metadata = Metadata()
        if stream.requestEnded { handle.bridge.endInbound() }
        calls.append(ServerCall(handle: handle, handler: route.handler, context: callContext, metrics: route.metrics))
    }

    private func unimplemented(path: String) -> RPCError {
        guard let method = RPCMethod(path: path) else {
            return RPCError(.unimplemented, "'\(path)' is not a gRPC method path of the form /service/method")
        }
        if router.hasService(method.service) {
            return RPCError(.unimplemented, "method '\(method.method)' is not implemented by service '\(method.service)'")
        }
        return RPCError(.unimplemented, "service '\(method.service)' is not implemented by this server")
    }

    private func endRequest(_ stream: ServerStreamState) {
        stream.requestEnded = true
        guard let handle = stream.handle, !stream.responseFinished else { return }
        do {
            try stream.deframer.finish()
            handle.bridge.endInbound()
        } catch {
            respondTrailersOnly(stream, status: error.status(direction: "request"))
        }
    }

    private func deadlineExpired(_ id: Int32) {
        guard let stream = stream(id), !stream.responseFinished else { return }
        let status = RPCError(.deadlineExceeded, "the deadline passed before the call finished")
        stream.handle?.bridge.fail(status)
        if stream.responseHeadersSent {
            // Messages not yet started are dropped; one half sent is completed, so the
            // trailers follow a message boundary.
            stream.outbound.removeUnstarted()
            stream.responseFinished = true
            stream.pendingTrailers = GRPCHeaders.trailers(status, trailing: [:])
            session.resumeBody(streamID: id)
        } else {
            respondTrailersOnly(stream, status: status)
        }
        // A request still being sent is left to finish, as for any early answer: a
        // reset after the trailers makes some clients report it instead of the status.
        flush()
    }

    private func refuseCompressedMessage(_ stream: ServerStreamState) {
        if let encoding = stream.encoding, encoding != "identity" {
            respondTrailersOnly(
                stream,
                status: RPCError(.unimplemented, "grpc-encoding '\(encoding)' is not supported; this server accepts identity"),
                extraHeaders: [("grpc-accept-encoding", "identity")])
        } else {
            respondTrailersOnly(stream, status: RPCError(
                .internalError, "a message is flagged compressed but the call names no compression in grpc-encoding"))
        }
    }

    static func isGRPCContentType(_ value: String) -> Bool {
        value == "application/grpc" || value.hasPrefix("application/grpc+") || value.hasPrefix("application/grpc;")
    }
}
