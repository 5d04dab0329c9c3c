internal import SessionAPI
internal import SessionSDK

/// How the session API shows a session: the one place `GetSession`, `ListSessions`,
/// the session-returning mutations and `WatchSessions` turn a stored ``Session`` into
/// its message, so that every RPC shows the same URL and the same connected users.
///
/// With a ``ConnectionProxy``, the connection URL is the session's address on the
/// proxy (never the backend's own host and port) and the message carries the users
/// connected to the session now; without one, the message is the session as stored.
/// `WatchSessions` presents a session when it changes: connected users coming and
/// going do not by themselves send a change.
struct SessionPresenter: Sendable {
    /// The connection proxy, nil when it is turned off.
    let proxy: ConnectionProxy?

    /// The message of a session without data-link mounts, as listings and watches show it.
    func message(for session: Session) async -> V1Session {
        await presented(V1Session(session), of: session)
    }

    /// `message` (a session's message, possibly with its data-link mounts) with the
    /// session's URL on the connection proxy and the users connected to it, when the
    /// proxy is on. A session without an endpoint yet keeps an empty URL; one whose
    /// proxy is not listening (yet) gets an empty URL rather than the backend's.
    func presented(_ message: V1Session, of session: Session) async -> V1Session {
        guard let proxy else { return message }
        var message = message
        if session.connection != nil {
            message.connectionURL = (try? await proxy.sessionURL(workspace: session.workspace, session: session.id)) ?? ""
        }
        message.connectedUsers = proxy.users.users(workspace: session.workspace, session: session.id).map {
            V1ConnectedUser(
                user: $0.user, sinceSeconds: $0.since, lastSeenSeconds: $0.lastSeen, openConnections: Int32(clamping: $0.openConnections))
        }
        return message
    }
}
