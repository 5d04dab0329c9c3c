internal import NIOCore
internal import Synchronization

/// One client HTTP/2 connection: opens a stream per call through nghttp2, moves request
/// messages out and response messages, metadata and statuses back to the calls.
///
/// Runs on the channel's event loop; calls reach it through ``ClientCall``.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Whether a connection can take new calls; readable from any thread.
    final class Status: Sendable {
        private let usable = Mutex(true)
        var isUsable: Bool { usable.withLock { $0 } }
        func markUnusable() { usable.withLock { $0 = false } }
    }

    let configuration: RPCClient.Configuration
    let authority: String
    let scheme: String
    let status = Status()
    private(set) var session: NGHTTP2Session!
    private var context: ChannelHandlerContext?
    /// The channel's event loop; kept after the handler is removed, unlike `context`.
    private var eventLoop: (any EventLoop)!
    private var streams: [Int32: ClientStreamState] = [:]
    private var reading = false
    private var closed = false

    init(configuration: RPCClient.Configuration, authority: String, scheme: String) {
        self.configuration = configuration
        self.authority = authority
        self.scheme = scheme
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.eventLoop = context.eventLoop
        do {
            session = try NGHTTP2Session(
                role: .client,
                options: .init(
                    maxConcurrentStreams: 100,
                    maxHeaderListSize: 64 * 1024,
                    initialWindowSize: configuration.streamWindowSize,
                    connectionWindowSize: configuration.streamWindowSize * 4,
                    streamResetBurst: 1000,
                    streamResetRate: 33,
                    maxContinuations: 8,
                    maxSettingsEntries: 32,
                    maxOutboundAcks: 1000),
                delegate: self)
        } catch {
            status.markUnusable()
            context.close(promise: nil)
            return
        }
        if context.channel.isActive { flush() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Break the cycles through the context and the calls.
        failAll(RPCError(.unavailable, "the connection to \(authority) closed"))
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        flush()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reading = true
        defer { reading = false }
        do {
            try session.receive(unwrapInboundIn(data))
        } catch {
            failAll(RPCError(.unavailable, "the connection to \(authority) broke: \(error)"))
            status.markUnusable()
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { flush() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        status.markUnusable()
        failAll(RPCError(.unavailable, "the connection to \(authority) closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        status.markUnusable()
        failAll(RPCError(.unavailable, "the connection to \(authority) failed: \(error)", cause: error))
        context.close(promise: nil)
    }

    private func failAll(_ error: RPCError) {
        for stream in streams.values {
            stream.deadlineTimer?.cancel()
            stream.call.failed(error)
        }
        streams.removeAll()
    }

    private func flush() {
        guard !closed, let context, context.channel.isWritable || !session.wantsWrite else { return }
        var buffer = context.channel.allocator.buffer(capacity: 0)
        do {
            try session.drainOutput(into: &buffer)
        } catch {
            status.markUnusable()
            context.close(promise: nil)
            return
        }
        if buffer.readableBytes > 0 { context.writeAndFlush(wrapOutboundOut(buffer), promise: nil) }
        if session.isFinished {
            // Both sides are done (after GOAWAY, with no streams left).
            status.markUnusable()
            closed = true
            context.close(promise: nil)
        }
    }

    private func flushUnlessReading() {
        if !reading { flush() }
    }

    // MARK: Calls

    /// Opens a stream for a call. Throws `UNAVAILABLE` when the connection cannot take
    /// new calls.
    func startCall(method: RPCMethod, metadata: Metadata, timeout: Duration?) throws -> ClientCall {
        guard !closed, status.isUsable else {
            throw RPCError(.unavailable, "the connection to \(authority) is closing", cause: StreamRefused())
        }
        var headers = [
            (":method", "POST"), (":scheme", scheme), (":path", method.path), (":authority", authority),
            ("content-type", "application/grpc"), ("te", "trailers"), ("user-agent", "sessiongw-rpc/1"),
        ]
        if let timeout { headers.append(("grpc-timeout", GRPCTimeout.encode(timeout))) }
        GRPCHeaders.append(metadata, to: &headers)
        let streamID: Int32
        do {
            streamID = try session.submitRequest(headers: HTTP2HeaderBlock(headers))
        } catch {
            throw RPCError(.unavailable, "could not start a call on \(authority): \(error)", cause: error)
        }
        let call = ClientCall(streamID: streamID, connection: self, eventLoop: eventLoop, configuration: configuration)
        let stream = ClientStreamState(call: call, maxMessageSize: configuration.maxReceiveMessageSize)
        streams[streamID] = stream
        if let timeout {
            stream.deadlineTimer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
                [self] in
                guard let stream = streams[streamID], !stream.statusReceived else { return }
                stream.call.failed(RPCError(.deadlineExceeded, "the deadline passed before the call finished"))
                resetStream(streamID: streamID)
            }
        }
        flush()
        return call
    }

    func enqueueRequest(streamID: Int32, framed: [UInt8]) {
        guard let stream = streams[streamID], !stream.requestEnded else { return }
        stream.outbound.append(framed)
        session.resumeBody(streamID: streamID)
        flushUnlessReading()
    }

    func endRequest(streamID: Int32) {
        guard let stream = streams[streamID], !stream.requestEnded else { return }
        stream.requestEnded = true
        session.resumeBody(streamID: streamID)
        flushUnlessReading()
    }

    func resetStream(streamID: Int32) {
        guard streams[streamID] != nil else { return }
        session.resetStream(streamID, errorCode: .cancel)
        flushUnlessReading()
    }

    func returnWithheldCredit(streamID: Int32) {
        guard let stream = streams[streamID], stream.withheldCredit > 0 else { return }
        session.consume(streamID: streamID, count: stream.withheldCredit)
        stream.withheldCredit = 0
        flushUnlessReading()
    }

    // MARK: Stream bookkeeping used by the HTTP/2 delegate

    func stream(_ id: Int32) -> ClientStreamState? { streams[id] }

    func removeStream(_ id: Int32) -> ClientStreamState? { streams.removeValue(forKey: id) }
}

@available(*, unavailable)
extension ClientConnectionHandler: Sendable {}
