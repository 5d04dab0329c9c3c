import SessionSDK
import Synchronization

/// The in-process side of the change log: the latest committed revision, a bounded
/// window of the most recent changes shared by every watcher, and the watchers
/// waiting for the next change.
///
/// The store publishes from the writer's commit hook, so publications arrive in
/// revision order. Nothing is buffered per watcher: a watcher either finds what it
/// needs in the shared window or reads the `changes` table.
final class ChangeFeed: Sendable {
    private struct State {
        /// The newest published revision.
        var latest: Int64
        /// Consecutive changes ending at `latest`; at most `2 × capacity` long.
        var window: [SessionChange] = []
        /// Continuations waiting for a revision newer than their value.
        var waiters: [UInt64: (after: Int64, continuation: CheckedContinuation<Void, Never>)] = [:]
        var nextWaiterID: UInt64 = 0
        var closed = false
    }

    private let state: Mutex<State>
    private let capacity: Int

    /// A feed that starts at the store's current revision.
    init(revision: Int64, capacity: Int) {
        self.state = Mutex(State(latest: revision))
        self.capacity = max(capacity, 1)
    }

    /// The newest published revision.
    var latest: Int64 { state.withLock { $0.latest } }

    /// Records a committed change and wakes the watchers it concerns.
    func publish(_ change: SessionChange) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if let last = state.window.last, last.revision + 1 != change.revision { state.window.removeAll() }
            state.window.append(change)
            if state.window.count > 2 * capacity { state.window.removeFirst(state.window.count - capacity) }
            state.latest = max(state.latest, change.revision)
            let ready = state.waiters.filter { $0.value.after < state.latest }
            for id in ready.keys { state.waiters[id] = nil }
            return ready.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// The changes after `revision` from the window, when it holds all of them; at most
    /// `limit` of those in `workspace` (every workspace when nil), and the revision the
    /// answer is complete through. Nil when the window does not reach back that far.
    func recent(after revision: Int64, workspace: WorkspaceID?, limit: Int) -> (changes: [SessionChange], through: Int64)? {
        state.withLock { state in
            guard revision <= state.latest else { return nil }
            guard revision < state.latest else { return ([], state.latest) }
            guard let first = state.window.first, first.revision <= revision + 1 else { return nil }
            var found: [SessionChange] = []
            for change in state.window[Int(revision + 1 - first.revision)...] {
                guard workspace == nil || change.workspace == workspace else { continue }
                found.append(change)
                if found.count == limit { return (found, change.revision) }
            }
            return (found, state.latest)
        }
    }

    /// Returns once a revision newer than `revision` is published, the feed is closed,
    /// or the task is cancelled.
    func wait(after revision: Int64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    // Checked under the lock, so a cancellation either happened before
                    // (and is seen here) or finds the waiter registered below.
                    if state.latest > revision || state.closed || Task.isCancelled { return true }
                    state.waiters[id] = (revision, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }

    /// Whether ``close()`` was called.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Wakes every watcher for good; used when the store closes.
    func close() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }
}
