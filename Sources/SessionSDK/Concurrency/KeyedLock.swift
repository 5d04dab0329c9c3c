import Synchronization

/// Serializes operations per key, such as a session id: a second caller for the same
/// key waits until the first is done (or, with ``withLockIfFree(_:_:)``, does not run);
/// different keys never wait for each other. Providers use it to keep create, pause,
/// resume and delete of one session from overlapping; the gateway, to keep API calls
/// and the reconciler from doing so.
///
/// Waiters are resumed in arrival order. A holder must not wait for its own key.
///
/// ```swift
/// let locks = KeyedLock<String>()
/// try await locks.withLock(sessionID) { try await stopProcesses(of: sessionID) }
/// ```
public final class KeyedLock<Key: Hashable & Sendable>: Sendable {
    private struct State {
        var held: Set<Key> = []
        var waiters: [Key: [CheckedContinuation<Void, Never>]] = [:]
    }

    private let state = Mutex(State())

    /// Creates a lock with no key held.
    public init() {}

    /// Runs `body` while holding the lock for `key`, waiting for it first.
    public func withLock<Result, Failure: Error>(
        _ key: Key, _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        await acquire(key)
        defer { release(key) }
        return try await body()
    }

    /// Runs `body` holding the lock for `key` when nobody holds it; returns nil at once
    /// (without running `body`) when somebody does, the caller included.
    public func withLockIfFree<Result, Failure: Error>(
        _ key: Key, _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result? {
        guard state.withLock({ $0.held.insert(key).inserted }) else { return nil }
        defer { release(key) }
        return try await body()
    }

    /// Whether an operation holds the lock for `key` right now.
    public func isHeld(_ key: Key) -> Bool {
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
