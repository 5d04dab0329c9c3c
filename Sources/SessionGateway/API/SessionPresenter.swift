internal import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// How the session API shows a session: the one place `GetSession`, `ListSessions`,
/// the session-returning mutations and `WatchSessions` turn a stored ``Session`` into
/// its message, so that every RPC fills the same fields: the data-links with their
/// mount paths and access, the same URL, the same connected users, the same cost, the
/// same latest utilization sample, the same idle status (with who is connected now) and
/// the same warnings about its image.
///
/// With a ``ConnectionProxy``, the connection URL is the session's address on the
/// proxy (never the backend's own host and port) and the message carries the users
/// connected to the session now; without one, the URL is the session's as stored.
/// `WatchSessions` presents a session when it changes: connected users coming and
/// going do not by themselves send a change.
struct SessionPresenter: Sendable {
    /// Where the sessions' data-links are read.
    let store: SessionStore
    /// The compute environments, whose writable buckets decide each link's access.
    let configuration: GatewayConfiguration
    /// The connection proxy, nil when it is turned off.
    let proxy: ConnectionProxy?

    /// The message of a session as every session RPC returns it.
    ///
    /// - Throws: the store's error when what the message shows cannot be read.
    func message(for session: Session) async throws(SessionError) -> V1Session {
        try await messages(for: [session])[0]
    }

    /// The messages of `sessions`, in their order, from one read of the store.
    ///
    /// - Throws: the store's error when what the messages show cannot be read.
    func messages(for sessions: [Session]) async throws(SessionError) -> [V1Session] {
        let readings = try await store.readings(of: sessions)
        let now = SessionStore.now()
        var messages: [V1Session] = []
        for (session, reading) in zip(sessions, readings) {
            messages.append(try await message(for: session, reading: reading, now: now))
        }
        return messages
    }

    private func message(for session: Session, reading: SessionReadings, now: Double) async throws(SessionError) -> V1Session {
        var message = V1Session(session, dataLinks: try mounts(of: session, links: reading.dataLinks))
        message.cost = V1SessionCost(reading.cost, running: configuration.usageRates(for: session))
        message.utilization = try reading.utilization.map { sample throws(SessionError) in try V1UtilizationSample(sample) }
        message.idle = idleStatus(of: session, marks: reading.idleMarks, sample: reading.utilization, now: now).map(V1IdleStatus.init)
        message.warnings = ImageTags.warnings(
            image: session.spec.image, preset: session.spec.preset, in: configuration.preset(session.spec.preset))
        guard let proxy else { return message }
        if session.connection != nil {
            message.connectionURL = (try? await proxy.sessionURL(workspace: session.workspace, session: session.id)) ?? ""
        }
        message.connectedUsers = proxy.users.users(workspace: session.workspace, session: session.id).map {
            V1ConnectedUser(
                user: $0.user, sinceTime: ProtobufTimestamp(secondsSince1970: $0.since),
                lastSeenTime: ProtobufTimestamp(secondsSince1970: $0.lastSeen),
                openConnections: Int32(clamping: $0.openConnections))
        }
        return message
    }

    /// The idle status of a running session the gateway has looked at (it has `marks`),
    /// with the users connected through the proxy now; nil otherwise.
    private func idleStatus(of session: Session, marks stored: [IdleSignal: Double]?, sample: UtilizationSample?, now: Double) -> IdleStatus? {
        guard session.state == .running, let stored else { return nil }
        let policy = configuration.idlePolicy(for: session)
        let connected = proxy?.users.lastSeen(workspace: session.workspace, session: session.id)
        let marks = IdleTracker.marks(
            stored, trackingSince: session.updatedAt, after: IdleObservation(time: now, connectionsActiveAt: connected),
            policy: policy)
        return IdleTracker.status(marks: marks, policy: policy, hasGPU: IdleMonitor.hasGPU(sample), now: now)
    }

    /// Where and how the session's data-links (`links`, those that still exist) are
    /// mounted; none when its compute environment is no longer configured. A link
    /// deleted since (possible only for an older snapshot a resumed watch replays) is
    /// left out.
    private func mounts(of session: Session, links: [DataLink]) throws(SessionError) -> [DataLinkMount] {
        guard !links.isEmpty, let environment = configuration.environment(session.spec.computeEnvironment, in: session.workspace)
        else { return [] }
        return try DataLinkRules.mounts(for: links, in: environment.environment)
    }
}
