public import RPCTransport
public import SessionAPI

/// What polling a session saw: every state and every reason on the way, in order, and
/// the session when the condition held.
public struct SessionProgress: Sendable {
    /// The states seen, each once per change.
    public var states: [V1SessionState]
    /// The non-empty reasons seen, each once per change.
    public var reasons: [String]
    /// The session when the condition held.
    public var session: V1Session
}

extension InProcessGateway {
    /// `GetSession`.
    public func get(_ id: String) async throws -> V1Session {
        try await sessions.getSession(V1GetSessionRequest(sessionID: id))
    }

    /// `PauseSession`.
    public func pause(_ id: String) async throws {
        _ = try await sessions.pauseSession(V1PauseSessionRequest(sessionID: id))
    }

    /// `ResumeSession`.
    public func resume(_ id: String) async throws {
        _ = try await sessions.resumeSession(V1ResumeSessionRequest(sessionID: id))
    }

    /// `DeleteSession` with `force`.
    public func delete(_ id: String) async throws {
        _ = try await sessions.deleteSession(V1DeleteSessionRequest(sessionID: id, force: true))
    }

    /// The session's whole activity log, oldest first.
    public func events(_ id: String) async throws -> [V1SessionEvent] {
        var events: [V1SessionEvent] = []
        var token = ""
        repeat {
            let page = try await sessions.listSessionEvents(
                V1ListSessionEventsRequest(sessionID: id, pageSize: 100, pageToken: token))
            events += page.events
            token = page.nextPageToken
        } while !token.isEmpty
        return events
    }

    /// Polls the session until `accept` holds.
    ///
    /// - Throws: ``TestFailure`` naming the states and the last reason seen when it does
    ///   not within `timeout`.
    public func wait(
        _ id: String, timeout: Duration = .seconds(60), until accept: (V1Session) -> Bool
    ) async throws -> SessionProgress {
        let deadline = ContinuousClock.now + timeout
        var progress: SessionProgress?
        while true {
            let session = try await get(id)
            var seen = progress ?? SessionProgress(states: [], reasons: [], session: session)
            if seen.states.last != session.state { seen.states.append(session.state) }
            if !session.stateReason.isEmpty, seen.reasons.last != session.stateReason { seen.reasons.append(session.stateReason) }
            seen.session = session
            progress = seen
            if accept(session) { return seen }
            guard ContinuousClock.now < deadline else {
                throw TestFailure(
                    "session \(id) did not get there within \(timeout); states \(seen.states), "
                        + "last reason: \(session.stateReason)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Polls until the gateway no longer knows the session (`NOT_FOUND`).
    ///
    /// - Throws: ``TestFailure`` when it still does after `timeout`.
    public func waitUntilGone(_ id: String, timeout: Duration = .seconds(40)) async throws {
        let gone = try await eventually(timeout: timeout) {
            do {
                _ = try await get(id)
                return false
            } catch let error as RPCError where error.code == .notFound {
                return true
            }
        }
        guard gone else { throw TestFailure("session \(id) still exists \(timeout) after it was deleted") }
    }
}
