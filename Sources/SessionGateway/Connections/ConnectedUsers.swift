internal import Foundation
public import SessionSDK
internal import Synchronization

/// Who is connected to each session through the connection proxy: callers with a
/// connection open, or a request within the presence window. Kept in memory; a
/// restart forgets it.
public final class ConnectedUsers: Sendable {
    private struct Key: Hashable {
        var workspace: WorkspaceID
        var session: SessionID
    }

    private let state = Mutex<[Key: [String: ConnectedUser]]>([:])
    private let window: Double
    private let now: @Sendable () -> Double

    /// Creates an empty list; a caller counts as connected for `window` after its last
    /// request.
    public init(window: Duration, now: (@Sendable () -> Double)? = nil) {
        self.window = window.inSeconds
        self.now = now ?? { Date().timeIntervalSince1970 }
    }

    /// Records that `user` opened a connection (a request or a tunnel) to the session.
    ///
    /// - Returns: whether this began a new presence (the user was not connected), which
    ///   the proxy writes to the audit trail.
    @discardableResult
    public func opened(_ user: String, workspace: WorkspaceID, session: SessionID) -> Bool {
        let time = now()
        return state.withLock { state in
            let key = Key(workspace: workspace, session: session)
            var users = (state[key] ?? [:]).filter { $0.value.openConnections > 0 || time - $0.value.lastSeen <= window }
            defer { state[key] = users }
            if var entry = users[user], entry.openConnections > 0 || time - entry.lastSeen <= window {
                entry.openConnections += 1
                entry.lastSeen = time
                users[user] = entry
                return false
            }
            users[user] = ConnectedUser(user: user, since: time, lastSeen: time, openConnections: 1)
            return true
        }
    }

    /// Records that one of `user`'s connections to the session ended.
    public func closed(_ user: String, workspace: WorkspaceID, session: SessionID) {
        let time = now()
        state.withLock { state in
            let key = Key(workspace: workspace, session: session)
            guard var entry = state[key]?[user] else { return }
            entry.openConnections = max(0, entry.openConnections - 1)
            entry.lastSeen = time
            state[key]?[user] = entry
        }
    }

    /// The users connected to the session now, by name; forgets those gone longer than
    /// the window.
    public func users(workspace: WorkspaceID, session: SessionID) -> [ConnectedUser] {
        let time = now()
        return state.withLock { state in
            let key = Key(workspace: workspace, session: session)
            guard let users = state[key] else { return [] }
            let present = users.filter { $0.value.openConnections > 0 || time - $0.value.lastSeen <= window }
            state[key] = present.isEmpty ? nil : present
            return present.values.map { entry in
                var entry = entry
                if entry.openConnections > 0 { entry.lastSeen = time }
                return entry
            }.sorted { $0.user < $1.user }
        }
    }

    /// When anyone connected to the session now was last seen (now while a connection
    /// is open); nil when nobody is: the `connections` idle signal.
    public func lastSeen(workspace: WorkspaceID, session: SessionID) -> Double? {
        users(workspace: workspace, session: session).map(\.lastSeen).max()
    }
}
