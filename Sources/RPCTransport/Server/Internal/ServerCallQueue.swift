internal import Synchronization

/// Calls whose request headers were accepted, handed from a connection's event loop to
/// the task that starts them, in arrival order.
///
/// The connection adds calls one at a time; the task takes every waiting call at once,
/// so the calls of one read cost one wake-up of the task, not one each.
final class ServerCallQueue: Sendable {
    private struct State {
        var calls: [ServerCall] = []
        var waiter: UnsafeContinuation<Void, Never>?
        var finished = false
    }

    private let state = Mutex(State())

    /// Queues a call; ignored once the queue is finished.
    func append(_ call: ServerCall) {
        let waiter = state.withLock { state -> UnsafeContinuation<Void, Never>? in
            guard !state.finished else { return nil }
            state.calls.append(call)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// No more calls will be added (the connection closed); the waiting task wakes.
    func finish() {
        let waiter = state.withLock { state -> UnsafeContinuation<Void, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Moves every waiting call into `calls` (which must be empty), suspending until
    /// there is one. Returns false, with no calls, once the queue is finished and empty
    /// or the task is cancelled (which finishes the queue).
    func take(into calls: inout [ServerCall]) async -> Bool {
        while true {
            let finished = state.withLock { state in
                swap(&calls, &state.calls)
                return state.finished
            }
            if !calls.isEmpty { return true }
            if finished { return false }
            await withTaskCancellationHandler {
                await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                    let ready = state.withLock { state in
                        guard state.calls.isEmpty, !state.finished else { return true }
                        state.waiter = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                finish()
            }
        }
    }
}
