internal import NIOCore
internal import Synchronization

/// The state one HTTP/2 stream shares between its event loop and the task using it,
/// on the server (a handler) or the client (a caller).
///
/// Received messages wait in a queue bounded by flow control: the event loop withholds
/// HTTP/2 window credit while more than `windowSize` bytes wait, and the reader asks
/// for the credit back once it has taken half of them. Writers suspend while more than
/// `maxQueuedBytes` of their messages wait for nghttp2 to send them.
final class StreamBridge: Sendable {
    private struct State {
        // Room for one message, which is all a unary call receives; grows as needed.
        var inbound = CircularBuffer<[UInt8]>(initialCapacity: 2)
        var inboundBytes = 0
        var inboundEnded = false
        var creditOwed = false
        var reader: CheckedContinuation<Void, any Error>?
        var outboundQueued = 0
        var writer: CheckedContinuation<Void, any Error>?
        var outboundStarted = false
        var finished = false
        var failure: RPCError?
        var task: RegisteredTask?
    }

    /// A task registered for cancellation, held only while it runs
    /// (``withTaskRegistered(_:)`` clears it before returning), so it is never used after
    /// the task ends; `UnsafeCurrentTask.cancel()` is safe from any thread.
    private struct RegisteredTask: @unchecked Sendable {
        let task: UnsafeCurrentTask
    }

    private let windowSize: Int
    private let maxQueuedBytes: Int
    private let state = Mutex(State())
    private static let cancelled = RPCError(.cancelled, "the call was cancelled")

    init(windowSize: Int, maxQueuedBytes: Int) {
        self.windowSize = windowSize
        self.maxQueuedBytes = maxQueuedBytes
    }

    // MARK: Task side

    /// The next received message, or nil after the peer ended its side. Calls
    /// `returnCredit` when withheld flow-control credit should go back to the peer.
    nonisolated(nonsending) func nextMessage(returnCredit: () -> Void) async throws -> [UInt8]? {
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
                if creditNeeded { returnCredit() }
                return message
            case .end:
                return nil
            case .failed(let failure):
                throw failure
            case .wait:
                try await suspend { state in
                    !state.inbound.isEmpty || state.inboundEnded || state.failure != nil
                } store: { state, continuation in
                    state.reader = continuation
                }
            }
        }
    }

    /// Accounts for `count` bytes about to be queued for sending. Returns whether they
    /// are the first bytes of this side, and whether the writer must then wait with
    /// ``waitForOutboundCapacity()``. Throws when the stream has failed or finished.
    func reserveOutbound(_ count: Int) throws -> (isFirst: Bool, mustWait: Bool) {
        try state.withLock { state in
            if let failure = state.failure { throw failure }
            guard !state.finished else { throw RPCError(.failedPrecondition, "the call has already finished") }
            state.outboundQueued += count
            defer { state.outboundStarted = true }
            return (!state.outboundStarted, state.outboundQueued > maxQueuedBytes)
        }
    }

    /// Suspends until the queued outbound bytes drop to half the bound.
    nonisolated(nonsending) func waitForOutboundCapacity() async throws {
        try await suspend { state in
            state.outboundQueued <= maxQueuedBytes / 2 || state.failure != nil
        } store: { state, continuation in
            state.writer = continuation
        }
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// Marks this side finished. Returns false when it already was or the stream
    /// failed, and whether nothing had been sent before.
    func markFinished() -> (proceed: Bool, isFirst: Bool) {
        state.withLock { state in
            defer { state.finished = true; state.outboundStarted = true }
            return (!state.finished && state.failure == nil, !state.outboundStarted)
        }
    }

    /// Runs `body` with the current task registered, so the event loop can cancel it.
    nonisolated(nonsending) func withTaskRegistered<Result>(
        _ body: nonisolated(nonsending) () async throws -> Result
    ) async rethrows -> Result {
        withUnsafeCurrentTask { task in
            guard let task else { return }
            let failed = state.withLock { state in
                state.task = RegisteredTask(task: task)
                return state.failure != nil
            }
            if failed { task.cancel() }
        }
        defer { state.withLock { $0.task = nil } }
        return try await body()
    }

    // MARK: Event loop side

    /// Queues a received message. Returns false when the queue is over its bound: the
    /// caller then withholds flow-control credit until the reader catches up.
    func deliver(_ message: [UInt8]) -> Bool {
        let (reader, withinBound) = state.withLock { state in
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

    /// The peer ended its side: no more messages.
    func endInbound() {
        let reader = state.withLock { state in
            state.inboundEnded = true
            defer { state.reader = nil }
            return state.reader
        }
        reader?.resume()
    }

    /// `count` queued outbound bytes went to nghttp2.
    func outboundDrained(_ count: Int) {
        let writer = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            state.outboundQueued -= count
            guard state.outboundQueued <= maxQueuedBytes / 2 else { return nil }
            defer { state.writer = nil }
            return state.writer
        }
        writer?.resume()
    }

    /// Ends the stream from the transport's side (reset, deadline, connection loss):
    /// waiters fail with `error`, the registered task is cancelled, and later sends
    /// are refused. The first failure wins.
    func fail(_ error: RPCError) {
        let (task, reader, writer) = state.withLock { state in
            guard state.failure == nil else { return (RegisteredTask?.none, state.reader, state.writer) }
            state.failure = error
            state.finished = true
            defer { state.reader = nil; state.writer = nil }
            return (state.task, state.reader, state.writer)
        }
        reader?.resume(throwing: error)
        writer?.resume(throwing: error)
        task?.task.cancel()
    }

    /// The failure that ended the stream, if any.
    var failure: RPCError? { state.withLock { $0.failure } }

    // MARK: Internals

    /// Suspends until `isReady` holds, with the continuation stored by `store`, or
    /// throws `CANCELLED` when the task is cancelled.
    private nonisolated(nonsending) func suspend(
        until isReady: (inout State) -> Bool,
        store: (inout State, CheckedContinuation<Void, any Error>) -> Void
    ) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(Self.cancelled) }
                    if isReady(&state) { return .success(()) }
                    store(&state, continuation)
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let (reader, writer) = state.withLock { state in
                defer { state.reader = nil; state.writer = nil }
                return (state.reader, state.writer)
            }
            reader?.resume(throwing: Self.cancelled)
            writer?.resume(throwing: Self.cancelled)
        }
    }
}
