import Synchronization
@testable import RPCTransport

/// An unbounded queue of message bytes between a test and a handler, closed by the
/// sender. `pop` suspends until a message arrives or the queue closes, and throws
/// `CANCELLED` when the waiting task is cancelled.
final class MessageQueue: Sendable {
    private struct State {
        var messages: [[UInt8]] = []
        var closed = false
        var waiter: CheckedContinuation<[UInt8]?, any Error>?
    }

    private let state = Mutex(State())

    /// Adds a message, handing it to a waiting reader if there is one.
    func push(_ message: [UInt8]) {
        let waiter = state.withLock { state in
            precondition(!state.closed, "push after close")
            guard let waiter = state.waiter else {
                state.messages.append(message)
                return nil as CheckedContinuation<[UInt8]?, any Error>?
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: message)
    }

    /// Ends the queue: once drained, `pop` returns nil.
    func close() {
        let waiter = state.withLock { state in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next message, or nil once the queue is closed and drained.
    func pop() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                let ready: Result<[UInt8]?, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(RPCError(.cancelled, "the call was cancelled")) }
                    if !state.messages.isEmpty { return .success(state.messages.removeFirst()) }
                    if state.closed { return .success(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: RPCError(.cancelled, "the call was cancelled"))
        }
    }

    /// How many messages wait to be popped.
    var count: Int { state.withLock { $0.messages.count } }
}
