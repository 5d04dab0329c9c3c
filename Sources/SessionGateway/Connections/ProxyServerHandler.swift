internal import Foundation
internal import Logging
internal import NIOCore
internal import NIOHTTP1
internal import NIOPosix
internal import SessionSDK

/// One client connection of the connection proxy: each request is decided by
/// ``ConnectionAuthorizer`` and then answered here (refusals, the link-to-cookie
/// redirect) or forwarded to the session's backend over a new connection, with the
/// body streamed both ways under back-pressure. A request that upgrades the
/// connection (WebSocket) turns the connection into a byte tunnel to the backend.
///
/// Requests are handled one at a time; pipelined requests wait their turn, and once a
/// request has been read whole the connection is not read again until its response
/// has ended, so a client cannot make the proxy buffer pipelined requests without
/// bound.
final class ProxyServerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Waiting for a request.
        case idle
        /// The authorizer is deciding, or the backend connection is being made.
        case deciding
        /// The request goes to this backend connection.
        case forwarding(any Channel)
        /// Answering the request here.
        case responding
        /// Turning into a tunnel: everything passes through untouched.
        case upgrading
    }

    private let services: ProxyServices
    private let decoder: any RemovableChannelHandler
    private let encoder: any RemovableChannelHandler
    private var state = State.idle
    private var head: HTTPRequestHead?
    private var plan: ForwardPlan?
    /// Parts of the current request not yet sent to the backend.
    private var pending: [HTTPServerRequestPart] = []
    /// Parts of later requests (pipelining).
    private var queued: [HTTPServerRequestPart] = []
    private var requestEnded = false
    private var responseStarted = false
    private var keepAlive = true
    private var pendingRead = false
    private var mask = TokenMask(secret: "")
    private var backend: BackendResponseHandler?
    private var recheck: RepeatedTask?
    private var timeout: Scheduled<Void>?

    /// A handler placed after `decoder` and `encoder`, which it removes when the
    /// connection becomes a tunnel.
    init(services: ProxyServices, decoder: any RemovableChannelHandler, encoder: any RemovableChannelHandler) {
        self.services = services
        self.decoder = decoder
        self.encoder = encoder
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .upgrading = state {
            context.fireChannelRead(data)
            return
        }
        receive(unwrapInboundIn(data), context: context)
    }

    private func receive(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        if requestEnded || head == nil {
            guard case .idle = state else {
                queued.append(part)
                return
            }
            guard case .head(let head) = part else { return }
            begin(head, context: context)
            return
        }
        if case .end = part { requestEnded = true }
        switch state {
        case .forwarding(let channel):
            channel.write(Self.clientPart(part), promise: nil)
            if requestEnded { channel.flush() }
        case .deciding:
            pending.append(part)
        case .responding, .idle, .upgrading:
            if requestEnded { finishResponseIfDone(context: context) }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .forwarding(let channel) = state { channel.flush() }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        endForwarding()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError, case .idle = state {
            keepAlive = false
            respond(ProxyResponse(status: .badRequest, body: "the request is not valid HTTP/1.1"), context: context)
            return
        }
        services.logger.debug("a proxied connection failed", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read, case .idle = state {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            backend?.resumeReading()
            if !(requestEnded && head != nil) { resumeReading(context: context) }
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Outbound

    func read(context: ChannelHandlerContext) {
        if requestEnded && head != nil || !context.channel.isWritable {
            // The whole request is in (what comes next is a pipelined request), or the
            // client is not taking what was written to it.
            pendingRead = true
            return
        }
        switch state {
        case .idle, .responding:
            context.read()
        case .forwarding(let channel) where channel.isWritable:
            context.read()
        case .upgrading:
            context.read()
        case .forwarding, .deciding:
            pendingRead = true
        }
    }

    /// Reads again once the backend can take more of the request.
    func resumeReading(context: ChannelHandlerContext) {
        guard pendingRead else { return }
        pendingRead = false
        context.read()
    }

    // MARK: Deciding

    private func begin(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        self.head = head
        state = .deciding
        requestEnded = false
        responseStarted = false
        keepAlive = head.isKeepAlive
        pending = []
        let authorizer = services.authorizer
        let promise = context.eventLoop.makePromise(of: ConnectionAuthorizer.Decision.self)
        promise.completeWithTask { await authorizer.decide(head) }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        promise.futureResult.whenSuccess { decision in
            let (handler, context) = bound.value
            guard context.channel.isActive else { return }
            switch decision {
            case .respond(let response): handler.respond(response, context: context)
            case .forward(let plan): handler.forward(plan, head: head, context: context)
            }
        }
    }

    // MARK: Answering here

    private func respond(_ response: ProxyResponse, context: ChannelHandlerContext) {
        state = .responding
        responseStarted = true
        var headers = HTTPHeaders(response.headers)
        let body = context.channel.allocator.buffer(string: response.body.isEmpty ? "" : response.body + "\n")
        headers.replaceOrAdd(name: "content-type", value: "text/plain; charset=utf-8")
        headers.replaceOrAdd(name: "content-length", value: String(body.readableBytes))
        if !requestEnded { keepAlive = false }
        if !keepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
        let version = head?.version ?? .http1_1
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: response.status, headers: headers))), promise: nil)
        if head?.method != .HEAD, body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        responseEnded(context: context)
        resumeReading(context: context)
    }

    // MARK: Forwarding

    private func forward(_ plan: ForwardPlan, head: HTTPRequestHead, context: ChannelHandlerContext) {
        self.plan = plan
        services.recordConnect(plan)
        mask = TokenMask(secret: plan.target.accessToken)
        if plan.upgrade {
            tunnel(plan, head: head, context: context)
            return
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop)
            .connectTimeout(services.backendTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: plan.target.host, port: plan.target.port)
            .whenComplete { result in
                let (handler, context) = bound.value
                switch result {
                case .success(let channel): handler.backendConnected(channel, plan: plan, head: head, context: context)
                case .failure: handler.backendUnreachable(plan, context: context)
                }
            }
    }

    private func backendConnected(_ channel: any Channel, plan: ForwardPlan, head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard context.channel.isActive else {
            channel.close(promise: nil)
            services.recordClose(plan)
            return
        }
        let backend = BackendResponseHandler(server: self, serverContext: context)
        do {
            try channel.pipeline.syncOperations.addHTTPClientHandlers()
            try channel.pipeline.syncOperations.addHandler(backend)
        } catch {
            channel.close(promise: nil)
            backendUnreachable(plan, context: context)
            return
        }
        self.backend = backend
        state = .forwarding(channel)
        let forwarded = HTTPRequestHead(
            version: .http1_1, method: head.method, uri: plan.requestTarget,
            headers: Self.backendHeaders(head.headers, plan: plan, scheme: services.scheme, client: context.channel.remoteAddress, upgrade: false))
        channel.write(HTTPClientRequestPart.head(forwarded), promise: nil)
        for part in pending { channel.write(Self.clientPart(part), promise: nil) }
        pending = []
        channel.flush()
        recheck = services.recheck(plan, closing: context.channel)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timeout = context.eventLoop.scheduleTask(in: services.backendTimeout) {
            let (handler, context) = bound.value
            handler.backendTimedOut(context: context)
        }
        resumeReading(context: context)
    }

    private func backendUnreachable(_ plan: ForwardPlan, context: ChannelHandlerContext) {
        services.recordClose(plan)
        self.plan = nil
        respond(ProxyResponse(
            status: .badGateway,
            body: "the session's backend does not answer at \(plan.target.authority); if the session just started, retry in a moment"),
            context: context)
    }

    private func backendTimedOut(context: ChannelHandlerContext) {
        guard case .forwarding = state, !responseStarted, let plan else { return }
        endForwarding()
        respond(ProxyResponse(
            status: .gatewayTimeout,
            body: "the session's backend at \(plan.target.authority) did not begin to answer within \(services.backendTimeout.nanoseconds / 1_000_000_000)s"),
            context: context)
    }

    // MARK: The backend's answer

    /// The backend's response head, made safe for the user.
    func backendHead(_ response: HTTPResponseHead, context: ChannelHandlerContext) {
        guard let plan, let head else { return }
        timeout?.cancel()
        responseStarted = true
        var status = response.status
        var headers = HTTPHeaders()
        for (name, value) in response.headers where !Self.hopByHop.contains(name.lowercased()) {
            switch name.lowercased() {
            case "location":
                if let location = plan.target.rewriteLocation(value, prefix: plan.prefix) {
                    headers.add(name: name, value: location)
                } else {
                    // A redirect off the session is not passed on.
                    status = .badGateway
                    headers.add(name: "X-Sessiongw-Refused", value: "the session redirected to another site")
                }
            case "set-cookie":
                if let cookie = plan.target.confinedCookie(value, prefix: plan.prefix) { headers.add(name: name, value: cookie) }
            default:
                headers.add(name: name, value: plan.target.masked(value))
            }
        }
        if !keepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
    }

    /// A part of the backend's response body, masked.
    func backendBody(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        let bytes = mask.process(Array(buffer.readableBytesView))
        guard !bytes.isEmpty else { return }
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
    }

    /// The end of the backend's response.
    func backendEnd(_ trailers: HTTPHeaders?, context: ChannelHandlerContext) {
        let rest = mask.finish()
        if !rest.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: rest)))), promise: nil)
        }
        endForwarding()
        if !requestEnded { keepAlive = false }
        responseEnded(context: context)
    }

    /// The backend connection closed before its response ended.
    func backendClosed(context: ChannelHandlerContext) {
        guard case .forwarding = state, let plan else { return }
        endForwarding()
        if responseStarted {
            context.close(promise: nil)
        } else {
            respond(ProxyResponse(
                status: .badGateway,
                body: "the session's backend at \(plan.target.authority) closed the connection without answering"),
                context: context)
        }
    }

    private func endForwarding() {
        timeout?.cancel()
        timeout = nil
        recheck?.cancel()
        recheck = nil
        if case .forwarding(let channel) = state {
            state = .responding
            channel.close(promise: nil)
            backend = nil
        }
        if let plan {
            services.recordClose(plan)
            self.plan = nil
        }
    }

    private func responseEnded(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        state = .responding
        finishResponseIfDone(context: context)
    }

    /// Once both the request and the response ended: the next request, or closing.
    private func finishResponseIfDone(context: ChannelHandlerContext) {
        guard case .responding = state, requestEnded || !keepAlive else { return }
        guard keepAlive else {
            context.close(promise: nil)
            return
        }
        state = .idle
        head = nil
        let later = queued
        queued = []
        for part in later { receive(part, context: context) }
        resumeReading(context: context)
    }

    // MARK: Tunnels

    private func tunnel(_ plan: ForwardPlan, head: HTTPRequestHead, context: ChannelHandlerContext) {
        let (clientEnd, backendEnd) = TunnelHandler.pair()
        let bound = NIOLoopBound((self, context, clientEnd, backendEnd), eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop)
            .connectTimeout(services.backendTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: plan.target.host, port: plan.target.port)
            .whenComplete { result in
                let (handler, context, clientEnd, backendEnd) = bound.value
                switch result {
                case .success(let channel):
                    handler.tunnelConnected(channel, plan: plan, head: head, ends: (clientEnd, backendEnd), context: context)
                case .failure:
                    handler.backendUnreachable(plan, context: context)
                }
            }
    }

    private func tunnelConnected(
        _ channel: any Channel, plan: ForwardPlan, head: HTTPRequestHead, ends: (TunnelHandler, TunnelHandler),
        context: ChannelHandlerContext
    ) {
        guard context.channel.isActive else {
            channel.close(promise: nil)
            services.recordClose(plan)
            return
        }
        var text = "\(head.method.rawValue) \(plan.requestTarget) HTTP/1.1\r\n"
        for (name, value) in Self.backendHeaders(
            head.headers, plan: plan, scheme: services.scheme, client: context.channel.remoteAddress, upgrade: true)
        {
            text += "\(name): \(value)\r\n"
        }
        text += "\r\n"
        do {
            try channel.pipeline.syncOperations.addHandler(ends.1)
            channel.writeAndFlush(channel.allocator.buffer(string: text), promise: nil)
            state = .upgrading
            let pipeline = context.pipeline.syncOperations
            try pipeline.addHandler(ends.0)
            pipeline.removeHandler(encoder, promise: nil)
            pipeline.removeHandler(decoder, promise: nil)
            pipeline.removeHandler(context: context, promise: nil)
        } catch {
            channel.close(promise: nil)
            context.close(promise: nil)
            services.recordClose(plan)
            return
        }
        self.plan = nil
        let services = services
        services.recheck(plan, closing: context.channel)
        context.channel.closeFuture.whenComplete { _ in
            services.recordClose(plan)
            channel.close(promise: nil)
        }
        context.channel.read()
    }

    // MARK: Headers

    /// Hop-by-hop headers, which are not forwarded either way.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "upgrade",
    ]

    /// The request headers the backend gets: the proxy's credentials (a bearer token,
    /// a ticket, the link cookie) removed, hop-by-hop headers removed (kept for an upgrade),
    /// `Accept-Encoding` removed (so that the proxy can mask the backend's token in
    /// bodies), `Host` the backend's, and `X-Forwarded-*` added.
    static func backendHeaders(
        _ headers: HTTPHeaders, plan: ForwardPlan, scheme: String, client: SocketAddress?, upgrade: Bool
    ) -> HTTPHeaders {
        var forwarded = HTTPHeaders()
        let originalHost = headers.first(name: "host")
        for (name, value) in headers {
            let lower = name.lowercased()
            if lower == "host" || lower == "accept-encoding" || lower.hasPrefix("x-forwarded-") { continue }
            if lower == ConnectionAuthorizer.ticketHeader, value.hasPrefix(LinkTicketSigner.prefix) { continue }
            if Self.hopByHop.contains(lower), !(upgrade && (lower == "connection" || lower == "upgrade")) { continue }
            if lower == "authorization", value.lowercased().hasPrefix("bearer ") { continue }
            if lower == "cookie" {
                let kept = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.hasPrefix(ConnectionAuthorizer.cookieName + "=") }
                if !kept.isEmpty { forwarded.add(name: name, value: kept.joined(separator: "; ")) }
                continue
            }
            forwarded.add(name: name, value: value)
        }
        forwarded.add(name: "Host", value: plan.target.authority)
        if !upgrade { forwarded.add(name: "Connection", value: "close") }
        if let address = client?.ipAddress { forwarded.add(name: "X-Forwarded-For", value: address) }
        forwarded.add(name: "X-Forwarded-Proto", value: scheme)
        if let originalHost { forwarded.add(name: "X-Forwarded-Host", value: originalHost) }
        if plan.prefix != "/" { forwarded.add(name: "X-Forwarded-Prefix", value: String(plan.prefix.dropLast())) }
        return forwarded
    }

    private static func clientPart(_ part: HTTPServerRequestPart) -> HTTPClientRequestPart {
        switch part {
        case .head(let head): .head(head)
        case .body(let buffer): .body(.byteBuffer(buffer))
        case .end(let trailers): .end(trailers)
        }
    }
}
