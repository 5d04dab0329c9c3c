internal import SessionSDK
internal import Synchronization

/// Runs operations on one session one at a time: an API call and the reconciler never
/// pause, resume or delete the same session concurrently.
final class SessionOperationLock: Sendable {
    private struct State {
        var held: Set<SessionID> = []
        var waiters: [SessionID: [CheckedContinuation<Void, Never>]] = [:]
    }

    private let state = Mutex(State())

    /// Runs `body` once no other operation holds the session.
    func withLock<Result>(
        _ id: SessionID, _ body: () async throws(SessionError) -> Result
    ) async throws(SessionError) -> Result {
        await acquire(id)
        defer { release(id) }
        return try await body()
    }

    /// Runs `body` if no other operation holds the session; nil otherwise.
    func withLockIfFree<Result>(
        _ id: SessionID, _ body: () async throws(SessionError) -> Result
    ) async throws(SessionError) -> Result? {
        guard state.withLock({ $0.held.insert(id).inserted }) else { return nil }
        defer { release(id) }
        return try await body()
    }

    private func acquire(_ id: SessionID) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state in
                if state.held.insert(id).inserted { return true }
                state.waiters[id, default: []].append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    private func release(_ id: SessionID) {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard var queue = state.waiters[id], !queue.isEmpty else {
                state.held.remove(id)
                state.waiters[id] = nil
                return nil
            }
            // Hand the lock straight to the next waiter: the id stays held.
            let next = queue.removeFirst()
            state.waiters[id] = queue.isEmpty ? nil : queue
            return next
        }
        next?.resume()
    }
}
