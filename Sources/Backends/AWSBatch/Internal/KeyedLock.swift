import Synchronization

/// Serializes operations per key (a session id): a second caller for the same key
/// waits until the first is done; different keys never wait for each other.
///
/// Waiters are resumed in arrival order. Holders must not wait for themselves.
final class KeyedLock<Key: Hashable & Sendable>: Sendable {
    private struct State {
        var held: Set<Key> = []
        var waiters: [Key: [CheckedContinuation<Void, Never>]] = [:]
    }

    private let state = Mutex(State())

    /// Runs `body` while holding the lock for `key`.
    func withLock<Result>(_ key: Key, _ body: () async throws -> Result) async rethrows -> Result {
        await acquire(key)
        defer { release(key) }
        return try await body()
    }

    /// Whether an operation holds the lock for `key` right now.
    func isHeld(_ key: Key) -> Bool {
        state.withLock { $0.held.contains(key) }
    }

    private func acquire(_ key: Key) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state in
                if state.held.insert(key).inserted { return true }
                state.waiters[key, default: []].append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    private func release(_ key: Key) {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if var queue = state.waiters[key], !queue.isEmpty {
                let next = queue.removeFirst()
                state.waiters[key] = queue.isEmpty ? nil : queue
                return next  // the lock passes to the next waiter; `held` keeps the key
            }
            state.held.remove(key)
            return nil
        }
        next?.resume()
    }
}
