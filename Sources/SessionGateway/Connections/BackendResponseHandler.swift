internal import NIOCore
internal import NIOHTTP1

/// The proxy's side of one backend connection: hands the backend's response to the
/// client connection's ``ProxyServerHandler``, and reads from the backend only while
/// the client can take more. Both channels share one event loop.
final class BackendResponseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    private let server: ProxyServerHandler
    private let serverContext: ChannelHandlerContext
    private var context: ChannelHandlerContext?
    private var pendingRead = false

    /// A handler answering through `server`.
    init(server: ProxyServerHandler, serverContext: ChannelHandlerContext) {
        self.server = server
        self.serverContext = serverContext
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): server.backendHead(head, context: serverContext)
        case .body(let buffer): server.backendBody(buffer, context: serverContext)
        case .end(let trailers): server.backendEnd(trailers, context: serverContext)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        serverContext.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        server.backendClosed(context: serverContext)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { server.resumeReading(context: serverContext) }
    }

    func read(context: ChannelHandlerContext) {
        if serverContext.channel.isWritable {
            context.read()
        } else {
            pendingRead = true
        }
    }

    /// Reads from the backend again once the client can take more.
    func resumeReading() {
        guard pendingRead, let context else { return }
        pendingRead = false
        context.read()
    }
}
