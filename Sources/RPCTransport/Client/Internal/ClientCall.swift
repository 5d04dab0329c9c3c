internal import NIOCore
internal import Synchronization

/// A caller's view of one client stream: sends request messages, reads response
/// messages, and learns the response metadata and status, hopping onto the
/// connection's event loop to do so.
final class ClientCall: Sendable {
    private struct Response {
        var initialMetadata: Metadata?
        var initialWaiters: [CheckedContinuation<Metadata, any Error>] = []
        var trailingMetadata = Metadata()
        var status: RPCError?
        var completed = false
    }

    let streamID: Int32
    let bridge: StreamBridge
    private let connection: NIOLoopBound<ClientConnectionHandler>
    private let maxSendMessageSize: Int
    private let response = Mutex(Response())

    init(streamID: Int32, connection: ClientConnectionHandler, eventLoop: any EventLoop, configuration: RPCClient.Configuration) {
        self.streamID = streamID
        self.connection = NIOLoopBound(connection, eventLoop: eventLoop)
        self.maxSendMessageSize = configuration.maxSendMessageSize
        self.bridge = StreamBridge(
            windowSize: configuration.streamWindowSize, maxQueuedBytes: configuration.maxQueuedRequestBytes)
    }

    // MARK: Caller side

    /// Sends one request message.
    func send(_ message: [UInt8]) async throws {
        guard message.count <= maxSendMessageSize else {
            throw RPCError(.resourceExhausted,
                           "request message of \(message.count) bytes exceeds the limit of \(maxSendMessageSize) bytes")
        }
        let framed = GRPCMessageDeframer.frame(message)
        let (_, mustWait) = try bridge.reserveOutbound(framed.count)
        let connection = self.connection, streamID = self.streamID
        connection.eventLoop.execute { connection.value.enqueueRequest(streamID: streamID, framed: framed) }
        if mustWait { try await bridge.waitForOutboundCapacity() }
    }

    /// Half-closes: no more request messages.
    func endRequests() {
        guard bridge.markFinished().proceed else { return }
        let connection = self.connection, streamID = self.streamID
        connection.eventLoop.execute { connection.value.endRequest(streamID: streamID) }
    }

    /// Cancels the call: RST_STREAM(CANCEL) to the server, `error` to local waiters.
    func cancel(_ error: RPCError = RPCError(.cancelled, "the call was cancelled by the client")) {
        failed(error)
        let connection = self.connection, streamID = self.streamID
        connection.eventLoop.execute { connection.value.resetStream(streamID: streamID) }
    }

    /// Cancels the call unless the server has already sent its status.
    func cancelIfUnfinished() {
        if !response.withLock({ $0.completed }) { cancel() }
    }

    /// The next response message, or nil after the last one; throws the call's error
    /// status once the messages are consumed.
    func nextMessage() async throws -> [UInt8]? {
        let connection = self.connection, streamID = self.streamID
        if let message = try await bridge.nextMessage(returnCredit: {
            connection.eventLoop.execute { connection.value.returnWithheldCredit(streamID: streamID) }
        }) {
            return message
        }
        if let status = response.withLock({ $0.status }) { throw status }
        return nil
    }

    /// The response headers' metadata, once they arrive.
    func initialMetadata() async throws -> Metadata {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Metadata, any Error>? = response.withLock { response in
                if let metadata = response.initialMetadata { return .success(metadata) }
                if let status = response.status { return .failure(status) }
                response.initialWaiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// The trailers' metadata; empty until the status has arrived.
    var trailingMetadata: Metadata { response.withLock { $0.trailingMetadata } }

    // MARK: Event loop side

    /// The response headers arrived.
    func receivedHeaders(_ metadata: Metadata) {
        let waiters = response.withLock { response in
            response.initialMetadata = metadata
            defer { response.initialWaiters = [] }
            return response.initialWaiters
        }
        for waiter in waiters { waiter.resume(returning: metadata) }
    }

    /// The status arrived: nil for OK.
    func receivedStatus(_ status: RPCError?, trailing: Metadata) {
        let waiters = response.withLock { response in
            response.trailingMetadata = trailing
            response.status = status
            response.completed = true
            if response.initialMetadata == nil { response.initialMetadata = Metadata() }
            defer { response.initialWaiters = [] }
            return response.initialWaiters
        }
        for waiter in waiters { waiter.resume(returning: Metadata()) }
        bridge.endInbound()
    }

    /// The call ended without a status from the server.
    func failed(_ error: RPCError) {
        let waiters = response.withLock { response in
            if !response.completed { response.status = error }
            response.completed = true
            defer { response.initialWaiters = [] }
            return response.initialWaiters
        }
        for waiter in waiters { waiter.resume(throwing: error) }
        bridge.fail(error)
    }
}
