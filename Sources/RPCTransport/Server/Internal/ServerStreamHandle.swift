internal import NIOCore
internal import Synchronization

/// The handler task's side of one server stream: request messages queued by the event
/// loop, response messages sent to it, and the state both sides share.
///
/// The request queue is bounded by flow control: the connection withholds HTTP/2
/// window credit while more than `windowSize` bytes wait here, and this handle asks
/// for the credit back once the handler has read half of them. Response writers
/// suspend while more than `maxQueuedResponseBytes` wait in the connection.
final class ServerStreamHandle: ServerStreamIO, Sendable {
    private struct State {
        var inbound = CircularBuffer<[UInt8]>()
        var inboundBytes = 0
        var inboundEnded = false
        var creditOwed = false
        var reader: CheckedContinuation<Void, any Error>?
        var outboundQueued = 0
        var writer: CheckedContinuation<Void, any Error>?
        var responseStarted = false
        var finished = false
        var failure: RPCError?
        var task: RegisteredTask?
    }

    /// The handler's task, held only while the handler runs (``withTaskRegistered(_:)``
    /// clears it before returning), so it is never used after the task ends;
    /// `UnsafeCurrentTask.cancel()` is safe from any thread.
    private struct RegisteredTask: @unchecked Sendable {
        let task: UnsafeCurrentTask
    }

    let streamID: Int32
    let eventLoop: any EventLoop
    let responseMetadata: ServerResponseMetadata
    private let connection: NIOLoopBound<ServerConnectionHandler>
    private let windowSize: Int
    private let maxQueuedResponseBytes: Int
    private let maxSendMessageSize: Int
    private let state = Mutex(State())
    private static let cancelled = RPCError(.cancelled, "the call was cancelled")

    init(
        streamID: Int32,
        connection: ServerConnectionHandler,
        eventLoop: any EventLoop,
        responseMetadata: ServerResponseMetadata,
        windowSize: Int,
        maxQueuedResponseBytes: Int,
        maxSendMessageSize: Int
    ) {
        self.streamID = streamID
        self.eventLoop = eventLoop
        self.connection = NIOLoopBound(connection, eventLoop: eventLoop)
        self.responseMetadata = responseMetadata
        self.windowSize = windowSize
        self.maxQueuedResponseBytes = maxQueuedResponseBytes
        self.maxSendMessageSize = maxSendMessageSize
    }

    // MARK: Handler side

    func nextMessage() async throws -> [UInt8]? {
        enum Next { case message([UInt8], creditNeeded: Bool), end, failed(RPCError), wait }
        while true {
            let next: Next = state.withLock { state in
                if let message = state.inbound.popFirst() {
                    state.inboundBytes -= message.count
                    let creditNeeded = state.creditOwed && state.inboundBytes <= windowSize / 2
                    if creditNeeded { state.creditOwed = false }
                    return .message(message, creditNeeded: creditNeeded)
                }
                if let failure = state.failure { return .failed(failure) }
                return state.inboundEnded ? .end : .wait
            }
            switch next {
            case .message(let message, let creditNeeded):
                if creditNeeded {
                    let connection = self.connection, streamID = self.streamID
                    eventLoop.execute { connection.value.returnWithheldCredit(streamID: streamID) }
                }
                return message
            case .end:
                return nil
            case .failed(let failure):
                throw failure
            case .wait:
                try await waitForInbound()
            }
        }
    }

    /// Suspends until a request message, the end of the requests or a failure arrives.
    private func waitForInbound() async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(Self.cancelled) }
                    if !state.inbound.isEmpty || state.inboundEnded || state.failure != nil { return .success(()) }
                    state.reader = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            self.resumeWaiters(with: Self.cancelled)
        }
    }

    func send(_ message: [UInt8]) async throws {
        guard message.count <= maxSendMessageSize else {
            throw RPCError(.resourceExhausted,
                           "response message of \(message.count) bytes exceeds the limit of \(maxSendMessageSize) bytes")
        }
        let framed = GRPCMessageDeframer.frame(message)
        let (mustWait, isFirst): (Bool, Bool) = try state.withLock { state in
            if let failure = state.failure { throw failure }
            guard !state.finished else { throw RPCError(.failedPrecondition, "the call has already finished") }
            state.outboundQueued += framed.count
            defer { state.responseStarted = true }
            return (state.outboundQueued > maxQueuedResponseBytes, !state.responseStarted)
        }
        let initial = isFirst ? responseMetadata.initial : nil
        let connection = self.connection, streamID = self.streamID
        eventLoop.execute { connection.value.enqueueResponse(streamID: streamID, framed: framed, initialMetadata: initial) }
        guard mustWait else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready: Result<Void, any Error>? = state.withLock { state in
                    if let failure = state.failure { return .failure(failure) }
                    if Task.isCancelled { return .failure(Self.cancelled) }
                    if state.outboundQueued <= maxQueuedResponseBytes { return .success(()) }
                    state.writer = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            self.resumeWaiters(with: Self.cancelled)
        }
    }

    func finish(lastMessage: [UInt8]?, status: RPCError?) async {
        var status = status
        if let lastMessage, lastMessage.count > maxSendMessageSize {
            status = RPCError(.resourceExhausted,
                              "response message of \(lastMessage.count) bytes exceeds the limit of \(maxSendMessageSize) bytes")
        }
        let (proceed, isFirst) = state.withLock { state in
            defer { state.finished = true; state.responseStarted = true }
            return (!state.finished && state.failure == nil, !state.responseStarted)
        }
        guard proceed else { return }
        let finalStatus = status
        let framed = status == nil ? lastMessage.map(GRPCMessageDeframer.frame) : nil
        let initial = isFirst ? responseMetadata.initial : nil
        let trailing = responseMetadata.trailing
        let connection = self.connection, streamID = self.streamID
        eventLoop.execute {
            connection.value.finishResponse(
                streamID: streamID, framed: framed, status: finalStatus, initialMetadata: initial,
                trailingMetadata: trailing)
        }
    }

    /// Runs `body` with the current task registered, so the connection can cancel it
    /// when the caller resets the stream or the deadline passes.
    func withTaskRegistered(_ body: () async -> Void) async {
        withUnsafeCurrentTask { task in
            guard let task else { return }
            let cancelled = state.withLock { state in
                state.task = RegisteredTask(task: task)
                return state.failure != nil
            }
            if cancelled { task.cancel() }
        }
        await body()
        state.withLock { $0.task = nil }
    }

    // MARK: Event loop side

    /// Queues a request message. Returns false when the queue is over its bound, in
    /// which case the caller withholds flow-control credit until the handler catches up.
    func deliver(_ message: [UInt8]) -> Bool {
        let (reader, withinBound): (CheckedContinuation<Void, any Error>?, Bool) = state.withLock { state in
            state.inboundBytes += message.count
            state.inbound.append(message)
            let withinBound = state.inboundBytes <= windowSize
            if !withinBound { state.creditOwed = true }
            defer { state.reader = nil }
            return (state.reader, withinBound)
        }
        reader?.resume()
        return withinBound
    }

    /// The caller half-closed: no more request messages.
    func endInbound() {
        let reader = state.withLock { state in
            state.inboundEnded = true
            defer { state.reader = nil }
            return state.reader
        }
        reader?.resume()
    }

    /// `count` response bytes left the queue for nghttp2.
    func outboundDrained(_ count: Int) {
        let writer = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            state.outboundQueued -= count
            guard state.outboundQueued <= maxQueuedResponseBytes / 2 else { return nil }
            defer { state.writer = nil }
            return state.writer
        }
        writer?.resume()
    }

    /// Ends the call from the transport's side (reset, deadline, connection loss):
    /// waiters fail with `error`, the handler's task is cancelled, and anything the
    /// handler sends afterwards is dropped.
    func fail(_ error: RPCError) {
        let task = state.withLock { state -> RegisteredTask? in
            guard state.failure == nil else { return nil }
            state.failure = error
            state.finished = true
            return state.task
        }
        resumeWaiters(with: error)
        task?.task.cancel()
    }

    /// Whether the handler has finished the response or the call has failed.
    var isFinished: Bool { state.withLock { $0.finished } }

    private func resumeWaiters(with error: RPCError) {
        let (reader, writer) = state.withLock { state in
            defer { state.reader = nil; state.writer = nil }
            return (state.reader, state.writer)
        }
        reader?.resume(throwing: error)
        writer?.resume(throwing: error)
    }
}
