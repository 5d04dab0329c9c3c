internal import CNghttp2
internal import Logging
internal import NIOCore
internal import NIOSSL

/// One accepted HTTP/2 connection: feeds socket bytes to nghttp2, turns complete
/// request headers into calls for the server to run, and moves response messages and
/// statuses from handler tasks back onto the wire.
///
/// Everything here runs on the channel's event loop. Handler tasks reach it only
/// through ``ServerStreamHandle``, which hops onto the loop.
final class ServerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let configuration: RPCServer.Configuration
    let router: RPCRouter
    let metrics: ServerMetrics
    let logger: Logger
    let calls: ServerCallQueue
    var peer = "unknown"
    /// The common name of the client certificate the TLS handshake verified, read once
    /// the first call arrives (the handshake is over by then); nil without one.
    private var peerCertificateName: String??

    private(set) var session: NGHTTP2Session!
    private var context: ChannelHandlerContext?
    /// The channel's event loop; kept after the handler is removed, unlike `context`.
    private(set) var eventLoop: (any EventLoop)!
    private var streams: [Int32: ServerStreamState] = [:]
    /// The stream found last: nghttp2 reports most events of a call in a row, so this
    /// spares most lookups in `streams`.
    private var recentStream: ServerStreamState?
    /// Methods this connection has routed calls to, at most ``maxRoutes``.
    private var routes: [ServerRoute] = []
    private static let maxRoutes = 32
    /// The reference to this handler that every call's stream handle holds; cleared
    /// when the handler is removed.
    private(set) var reference: NIOLoopBound<ServerConnectionReference>!
    /// Whether a flush is scheduled to run after the current event-loop task.
    private var flushScheduled = false
    var reading = false
    private var closing = false
    private var closeRequested = false
    private var shuttingDown = false
    private var idleTimer: Scheduled<Void>?
    /// When the last stream closed; nil while streams are open. The idle timer is not
    /// re-armed for every call: when it fires early it waits out the rest.
    private var idleSince: NIODeadline?
    private var shutdownTimer: Scheduled<Void>?
    private var pingStrikes = 0
    private var lastPingReceived: NIODeadline?

    init(
        configuration: RPCServer.Configuration,
        router: RPCRouter,
        metrics: ServerMetrics,
        logger: Logger,
        calls: ServerCallQueue
    ) {
        self.configuration = configuration
        self.router = router
        self.metrics = metrics
        self.logger = logger
        self.calls = calls
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.eventLoop = context.eventLoop
        self.reference = NIOLoopBound(ServerConnectionReference(self), eventLoop: context.eventLoop)
        peer = Self.describe(context.channel.remoteAddress)
        let limits = configuration.limits
        do {
            session = try NGHTTP2Session(
                role: .server,
                options: .init(
                    maxConcurrentStreams: configuration.maxConcurrentStreams,
                    maxHeaderListSize: configuration.maxHeaderListSize,
                    initialWindowSize: configuration.streamWindowSize,
                    connectionWindowSize: configuration.streamWindowSize * 2,
                    streamResetBurst: limits.streamResetBurst,
                    streamResetRate: limits.streamResetRate,
                    maxContinuations: limits.maxContinuations,
                    maxSettingsEntries: limits.maxSettingsEntries,
                    maxOutboundAcks: limits.maxOutboundAcks),
                delegate: self)
        } catch {
            logger.error("could not create an HTTP/2 session", metadata: ["error": "\(error)"])
            context.close(promise: nil)
            return
        }
        if context.channel.isActive { channelActive(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Break the cycles through the context, the streams and the calls' reference.
        idleTimer?.cancel()
        shutdownTimer?.cancel()
        for stream in streams.values { stream.deadlineTimer?.cancel() }
        streams.removeAll()
        recentStream = nil
        reference?.value.handler = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        guard idleTimer == nil else { return }
        flush()
        idleSince = .now()
        armIdleTimer(deadline: idleSince! + idleTimeout)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        reading = true
        defer { reading = false }
        do {
            try session.receive(unwrapInboundIn(data))
        } catch {
            logger.debug("closing an HTTP/2 connection after a protocol error",
                         metadata: ["rpc.peer": "\(peer)", "error": "\(error)"])
            closeAfterFlush()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { flush() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        idleTimer?.cancel()
        shutdownTimer?.cancel()
        for stream in streams.values {
            stream.deadlineTimer?.cancel()
            stream.handle?.bridge.fail(RPCError(.unavailable, "the connection closed"))
        }
        streams.removeAll()
        recentStream = nil
        calls.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["rpc.peer": "\(peer)", "error": "\(error)"])
        close()
    }

    // MARK: Output

    /// Writes everything nghttp2 has queued, unless the socket is backed up; closes the
    /// connection, once the write is done, when the session is over or closing was
    /// asked for. Never called from inside an nghttp2 callback.
    func flush() {
        guard !closing, let context else { return }
        var buffer: ByteBuffer?
        if session.wantsWrite, context.channel.isWritable {
            var output = context.channel.allocator.buffer(capacity: 1024)
            do {
                try session.drainOutput(into: &output)
            } catch {
                logger.debug("HTTP/2 output failed", metadata: ["rpc.peer": "\(peer)", "error": "\(error)"])
                close()
                return
            }
            if output.readableBytes > 0 { buffer = output }
        }
        guard closeRequested || session.isFinished || (shuttingDown && streams.isEmpty) else {
            if let buffer { context.writeAndFlush(wrapOutboundOut(buffer), promise: nil) }
            return
        }
        if let buffer {
            let write = context.writeAndFlush(wrapOutboundOut(buffer))
            write.assumeIsolated().whenComplete { [self] _ in close() }
        } else {
            close()
        }
    }

    /// Flushes after the current event-loop task, so that the responses of every handler
    /// that finishes meanwhile (the calls of one read start together) leave in one write.
    /// While a read is being handled, the flush that ends it does the job.
    func flushSoon() {
        guard !reading, !flushScheduled else { return }
        flushScheduled = true
        eventLoop.assumeIsolated().execute { [self] in
            flushScheduled = false
            flush()
        }
    }

    /// Sends what is queued (such as a GOAWAY), then closes.
    private func closeAfterFlush() {
        closeRequested = true
        flush()
    }

    private func close() {
        guard !closing else { return }
        closing = true
        context?.close(promise: nil)
    }

    // MARK: Lifecycle

    /// Starts graceful shutdown: GOAWAY naming the last stream accepted, in-flight
    /// calls run on, and the connection closes when they are done or at `deadline`.
    func beginGracefulShutdown(deadline: NIODeadline) {
        guard !shuttingDown, !closing else { return }
        shuttingDown = true
        session.goAway(errorCode: .noError, lastStreamID: session.lastProcessedStreamID)
        shutdownTimer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            for stream in streams.values { stream.handle?.bridge.fail(RPCError(.unavailable, "the server is shutting down")) }
            close()
        }
        flush()
    }

    private var idleTimeout: TimeAmount { .nanoseconds(configuration.idleTimeout.nanoseconds) }

    /// Closes the connection at `deadline` if no stream has been open since
    /// `idleTimeout` before then; else waits again, until that long after the last
    /// stream closed.
    private func armIdleTimer(deadline: NIODeadline) {
        idleTimer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            guard !closing, !shuttingDown else { return }
            guard let idleSince, streams.isEmpty else {
                armIdleTimer(deadline: .now() + idleTimeout)
                return
            }
            guard idleSince + idleTimeout <= .now() else {
                armIdleTimer(deadline: idleSince + idleTimeout)
                return
            }
            logger.debug("closing an idle connection", metadata: ["rpc.peer": "\(peer)"])
            session.goAway(errorCode: .noError, debugData: "idle")
            closeAfterFlush()
        }
    }

    // MARK: Calls from stream handles

    /// Queues a response message, sending the response headers first if needed.
    func enqueueResponse(streamID: Int32, framed: [UInt8], initialMetadata: Metadata?) {
        guard let stream = streams[streamID], !stream.responseFinished else { return }
        startResponse(stream, initialMetadata: initialMetadata)
        stream.outbound.append(framed)
        session.resumeBody(streamID: streamID)
        flushSoon()
    }

    /// Ends a response: the last message if any, then the status in trailers. With no
    /// message sent and an error status, answers trailers-only.
    func finishResponse(
        streamID: Int32, framed: [UInt8]?, status: RPCError?, initialMetadata: Metadata?, trailingMetadata: Metadata
    ) {
        guard let stream = streams[streamID], !stream.responseFinished else { return }
        if !stream.responseHeadersSent, framed == nil, let status {
            respondTrailersOnly(stream, status: status, trailing: trailingMetadata)
            return
        }
        stream.responseFinished = true
        stream.deadlineTimer?.cancel()
        startResponse(stream, initialMetadata: initialMetadata)
        if let framed { stream.outbound.append(framed) }
        stream.pendingTrailers = GRPCHeaders.trailers(status, trailing: trailingMetadata)
        session.resumeBody(streamID: streamID)
        flushSoon()
    }

    /// Credits the peer for request bytes the handler has now read.
    func returnWithheldCredit(streamID: Int32) {
        guard let stream = streams[streamID], stream.withheldCredit > 0 else { return }
        session.consume(streamID: streamID, count: stream.withheldCredit)
        stream.withheldCredit = 0
        flushSoon()
    }

    private func startResponse(_ stream: ServerStreamState, initialMetadata: Metadata?) {
        guard !stream.responseHeadersSent else { return }
        stream.responseHeadersSent = true
        resetPingStrikes()
        do {
            try session.submitResponse(
                streamID: stream.id, headers: GRPCHeaders.responseHeaders(initialMetadata: initialMetadata), hasBody: true)
        } catch {
            logger.debug("could not send response headers", metadata: ["error": "\(error)"])
            session.resetStream(stream.id, errorCode: .internalError)
        }
    }

    /// Answers a call with a single HEADERS frame carrying the status.
    func respondTrailersOnly(
        _ stream: ServerStreamState, status: RPCError, trailing: Metadata = [:], httpStatus: Int = 200,
        extraHeaders: [(String, String)] = []
    ) {
        stream.responseFinished = true
        stream.deadlineTimer?.cancel()
        stream.handle?.bridge.fail(status)
        var headers = [(":status", String(httpStatus)), ("content-type", "application/grpc")] + extraHeaders
        headers += GRPCHeaders.statusFields(status, trailing: trailing)
        do {
            try session.submitResponse(streamID: stream.id, headers: HTTP2HeaderBlock(headers), hasBody: false)
        } catch {
            session.resetStream(stream.id, errorCode: .internalError)
        }
        // A request still being sent is left to finish: its bytes are credited and
        // dropped. (RST_STREAM NO_ERROR here makes some clients discard the status.)
        flushSoon()
    }

    static func describe(_ address: SocketAddress?) -> String {
        switch address {
        case .v4(let v4)?: "ipv4:\(v4.host):\(address?.port ?? 0)"
        case .v6(let v6)?: "ipv6:[\(v6.host)]:\(address?.port ?? 0)"
        case .unixDomainSocket?: "unix:\(address?.pathname ?? "")"
        case nil: "unknown"
        }
    }

    // MARK: Stream bookkeeping used by the HTTP/2 delegate

    func stream(_ id: Int32) -> ServerStreamState? {
        if let recentStream, recentStream.id == id { return recentStream }
        let found = streams[id]
        if found != nil { recentStream = found }
        return found
    }

    func addStream(_ stream: ServerStreamState) {
        streams[stream.id] = stream
        idleSince = nil
    }

    /// Forgets a closed stream. Called from nghttp2 callbacks: closing the connection
    /// when it was the last one during shutdown is left to the next flush.
    func removeStream(_ id: Int32) -> ServerStreamState? {
        let stream = streams.removeValue(forKey: id)
        if recentStream?.id == id { recentStream = nil }
        if streams.isEmpty { idleSince = .now() }
        return stream
    }

    /// The route for a `:path`, from the routes this connection has used before or
    /// else from the router; nil when it names no registered method.
    func route(forPath bytes: UnsafeRawBufferPointer) -> ServerRoute? {
        for known in routes where known.matches(bytes) { return known }
        let path = String(decoding: bytes, as: UTF8.self)
        guard let method = RPCMethod(path: path), let handler = router.handler(forPath: path) else { return nil }
        var logger = self.logger
        logger[metadataKey: "rpc.method"] = "\(method)"
        logger[metadataKey: "rpc.peer"] = "\(peer)"
        let route = ServerRoute(
            path: Array(bytes), method: method, handler: handler, logger: logger, metrics: metrics.forMethod(method))
        if routes.count < Self.maxRoutes { routes.append(route) }
        return route
    }

    /// Sending a HEADERS or DATA frame makes the peer's next ping legitimate again (as
    /// gRPC's own servers count strikes): clients probe bandwidth with a PING as data
    /// arrives, so this runs for every frame written, not once per message.
    func resetPingStrikes() {
        pingStrikes = 0
        lastPingReceived = nil
    }

    /// Counts a PING from the peer: one arriving less than `minPingInterval` after the
    /// previous one, with no HEADERS or DATA sent in between, is a strike, whether or not
    /// calls are active; more than `maxPingStrikes` close the connection.
    func recordPing() {
        let now = NIODeadline.now()
        defer { lastPingReceived = now }
        let interval = TimeAmount.nanoseconds(Int64(configuration.limits.minPingInterval.nanoseconds))
        guard let last = lastPingReceived, now - last < interval else { return }
        pingStrikes += 1
        if pingStrikes > configuration.limits.maxPingStrikes {
            logger.debug("closing a connection that pings too often", metadata: ["rpc.peer": "\(peer)"])
            session.goAway(errorCode: .enhanceYourCalm, debugData: "too_many_pings")
            // Called from inside nghttp2: the read path flushes and closes.
            closeRequested = true
        }
    }

    var isShuttingDown: Bool { shuttingDown }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}

@available(*, unavailable)
extension ServerConnectionHandler: Sendable {}

extension ServerConnectionHandler {
    /// The verified client certificate's common name (mutual TLS), if any.
    var clientCertificateCommonName: String? {
        if let known = peerCertificateName { return known }
        let name = (try? context?.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self))?.peerCertificate?
            .subjectName.first { $0.type == .commonName }?.value
        peerCertificateName = .some(name)
        return name
    }
}
