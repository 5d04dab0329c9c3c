internal import NIOCore

/// A handler task's view of one server stream: reads request messages, sends response
/// messages and the status, on the connection's event loop: directly when the task
/// runs there already (handlers run on their connection's event loop by default),
/// else by hopping onto it.
final class ServerStreamHandle: ServerStreamIO, Sendable {
    let streamID: Int32
    let bridge: StreamBridge
    let responseMetadata: ServerResponseMetadata
    /// Cleared when the connection is removed from its channel: calls waiting to be
    /// run must not keep a closed connection alive.
    private let connection: NIOLoopBound<ServerConnectionReference>
    private let maxSendMessageSize: Int

    init(
        streamID: Int32,
        connection: NIOLoopBound<ServerConnectionReference>,
        responseMetadata: ServerResponseMetadata,
        configuration: RPCServer.Configuration
    ) {
        self.streamID = streamID
        self.connection = connection
        self.responseMetadata = responseMetadata
        self.maxSendMessageSize = configuration.maxSendMessageSize
        self.bridge = StreamBridge(
            windowSize: configuration.streamWindowSize, maxQueuedBytes: configuration.maxQueuedResponseBytes)
    }

    nonisolated(nonsending) func nextMessage() async throws -> [UInt8]? {
        try await bridge.nextMessage {
            let streamID = self.streamID
            onConnection { $0.returnWithheldCredit(streamID: streamID) }
        }
    }

    nonisolated(nonsending) func send(_ message: [UInt8]) async throws {
        guard message.count <= maxSendMessageSize else { throw tooLarge(message.count) }
        let framed = GRPCMessageDeframer.frame(message)
        let (isFirst, mustWait) = try bridge.reserveOutbound(framed.count)
        let initial = isFirst ? responseMetadata.initial : nil
        let streamID = self.streamID
        onConnection { $0.enqueueResponse(streamID: streamID, framed: framed, initialMetadata: initial) }
        if mustWait { try await bridge.waitForOutboundCapacity() }
    }

    nonisolated(nonsending) func finish(lastMessage: [UInt8]?, status: RPCError?) async {
        var status = status
        if let lastMessage, lastMessage.count > maxSendMessageSize { status = tooLarge(lastMessage.count) }
        let (proceed, isFirst) = bridge.markFinished()
        guard proceed else { return }
        let finalStatus = status
        let framed = status == nil ? lastMessage.map(GRPCMessageDeframer.frame) : nil
        let initial = isFirst ? responseMetadata.initial : nil
        let trailing = responseMetadata.trailing
        let streamID = self.streamID
        onConnection {
            $0.finishResponse(
                streamID: streamID, framed: framed, status: finalStatus, initialMetadata: initial,
                trailingMetadata: trailing)
        }
    }

    /// Runs `body` with the connection, if it is still open, on its event loop: at once
    /// when called there (the connection's methods only queue frames and schedule the
    /// write, so they may run inside any event-loop task), else in a task sent there.
    private func onConnection(_ body: @escaping @Sendable (ServerConnectionHandler) -> Void) {
        let connection = self.connection
        if connection.eventLoop.inEventLoop {
            if let handler = connection.value.handler { body(handler) }
        } else {
            connection.eventLoop.execute {
                if let handler = connection.value.handler { body(handler) }
            }
        }
    }

    private func tooLarge(_ count: Int) -> RPCError {
        RPCError(.resourceExhausted, "response message of \(count) bytes exceeds the limit of \(maxSendMessageSize) bytes")
    }
}

/// A connection handler's calls' reference to it, used only on its event loop, which
/// the handler clears when it is removed from its channel. Not weak: a weakly
/// referenced object keeps its reference counts in a side table, which makes every
/// retain and release of the handler, on every nghttp2 callback, take the slow path.
final class ServerConnectionReference {
    var handler: ServerConnectionHandler?

    init(_ handler: ServerConnectionHandler) {
        self.handler = handler
    }
}
