import SessionSDK
import Synchronization

/// Every backend resource a case made, so that it can be removed after the case and,
/// for what that could not remove, again at the end of the run: sessions (by id, with
/// every handle a create returned for them), checkpoints, and restarted provider
/// instances to release.
final class ResourceTracker: Sendable {
    private struct State: Sendable {
        /// Session ids, in the order first seen, with the handles returned for them.
        var sessions: [(id: SessionID, handles: Set<SessionHandle>)] = []
        var checkpoints: [Checkpoint] = []
        var restarted: [(provider: any SessionProvider, release: @Sendable (any SessionProvider) async -> Void)] = []
    }

    private let state = Mutex(State())

    init() {}

    /// Records a session id before its create is called, so that a create that
    /// fails half-way is cleaned up too.
    func expect(_ id: SessionID) {
        state.withLock { state in
            if !state.sessions.contains(where: { $0.id == id }) { state.sessions.append((id, [])) }
        }
    }

    /// Records a handle a create returned for `id`.
    func record(_ handle: SessionHandle, for id: SessionID) {
        state.withLock { state in
            if let index = state.sessions.firstIndex(where: { $0.id == id }) {
                state.sessions[index].handles.insert(handle)
            } else {
                state.sessions.append((id, [handle]))
            }
        }
    }

    /// Records a checkpoint a provider took.
    func record(_ checkpoint: Checkpoint) {
        state.withLock { state in
            state.checkpoints.removeAll { $0.id == checkpoint.id }
            state.checkpoints.append(checkpoint)
        }
    }

    /// Records a restarted provider instance to release.
    func record(restarted provider: any SessionProvider, release: @escaping @Sendable (any SessionProvider) async -> Void) {
        state.withLock { $0.restarted.append((provider, release)) }
    }

    /// Moves everything `other` still holds into this tracker.
    func adopt(_ other: ResourceTracker) {
        let taken = other.state.withLock { state in
            defer { state = State() }
            return state
        }
        state.withLock { state in
            for session in taken.sessions {
                if let index = state.sessions.firstIndex(where: { $0.id == session.id }) {
                    state.sessions[index].handles.formUnion(session.handles)
                } else {
                    state.sessions.append(session)
                }
            }
            state.checkpoints += taken.checkpoints
            state.restarted += taken.restarted
        }
    }

    /// Whether nothing is tracked.
    var isEmpty: Bool {
        state.withLock { $0.sessions.isEmpty && $0.checkpoints.isEmpty && $0.restarted.isEmpty }
    }

    /// Releases restarted instances, deletes every tracked session through
    /// `provider`, checks with `listSessions` that they are gone, then deletes the
    /// checkpoints. What is removed is forgotten; what remains stays tracked.
    ///
    /// - Returns: a line for each resource that remains, naming it and why.
    func cleanUp(with provider: any SessionProvider) async -> [String] {
        let taken = state.withLock { state in
            defer { state.restarted = [] }
            return state
        }
        for (restarted, release) in taken.restarted { await release(restarted) }

        var remaining: [String] = []
        if !taken.sessions.isEmpty {
            remaining += await removeSessions(taken.sessions, with: provider)
        }
        for checkpoint in taken.checkpoints {
            do {
                try await provider.deleteCheckpoint(checkpoint)
                state.withLock { $0.checkpoints.removeAll { $0.id == checkpoint.id } }
            } catch {
                remaining.append("checkpoint '\(checkpoint.id)' of session '\(checkpoint.session)': delete failed: \(error)")
            }
        }
        return remaining
    }

    /// Deletes every handle of `sessions` (and any listed session with one of their
    /// ids), then lists to check; what is still listed is deleted and checked once more.
    private func removeSessions(
        _ sessions: [(id: SessionID, handles: Set<SessionHandle>)], with provider: any SessionProvider
    ) async -> [String] {
        let ids = Set(sessions.map(\.id))
        var handles = sessions.reduce(into: Set<SessionHandle>()) { $0.formUnion($1.handles) }
        if sessions.contains(where: \.handles.isEmpty), let listed = try? await provider.listSessions() {
            handles.formUnion(listed.filter { ids.contains($0.sessionID) }.map(\.handle))
        }
        var present: [ProviderSessionStatus] = []
        for _ in 0..<2 {
            for handle in handles.sorted(by: { $0.rawValue < $1.rawValue }) {
                try? await provider.deleteSession(handle)
            }
            do {
                present = try await provider.listSessions().filter { handles.contains($0.handle) || ids.contains($0.sessionID) }
            } catch {
                return sessions.map { "session '\($0.id)': cannot list sessions to check that it was removed: \(error)" }
            }
            if present.isEmpty { break }
            handles.formUnion(present.map(\.handle))
        }
        let remainingIDs = Set(present.map(\.sessionID))
        let remainingHandles = Set(present.map(\.handle))
        state.withLock { state in
            state.sessions.removeAll { session in
                !remainingIDs.contains(session.id) && session.handles.isDisjoint(with: remainingHandles)
            }
        }
        return present.map { "session '\($0.sessionID)' (handle '\($0.handle)') is still listed after delete (\($0.state))" }
    }
}
