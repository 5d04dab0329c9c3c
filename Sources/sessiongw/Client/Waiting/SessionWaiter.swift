import RPCTransport
import SessionAPI

/// Waits for a session to reach a goal state for `--wait`, printing a progress line
/// each time its state or reason changes.
///
/// It follows `WatchSessions` from the revision of the session it starts from, so no
/// change is missed between the request and the wait; when the gateway cannot serve
/// that watch (the changes were pruned, or watching is not implemented) or the stream
/// ends, it polls `GetSession` every 200 ms instead.
struct SessionWaiter {
    /// The gateway.
    let gateway: GatewayClient
    /// What to wait for.
    let goal: SessionWaitTracker.Goal
    /// How long to wait.
    let timeout: Duration
    /// Prints a progress line.
    let report: (String) -> Void

    private enum Outcome: Sendable {
        case reached(V1Session?)
        case failed(String)
        case streamEnded
    }

    /// Waits, starting from `session` as the last request returned it.
    ///
    /// - Returns: the session in its goal state; nil when the goal was its deletion.
    /// - Throws: ``ClientFailure`` with ``ClientExitCode/sessionFailed`` when the goal
    ///   cannot be reached any more, ``ClientExitCode/timedOut`` when `timeout` passes;
    ///   `RPCError` when the gateway fails a call.
    func wait(from session: V1Session) async throws -> V1Session? {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + timeout
        var tracker = SessionWaitTracker(goal: goal)

        func take(_ observed: V1Session) -> Outcome? {
            let (changed, verdict) = tracker.observe(observed)
            if changed { report(ProgressView.line(observed, elapsed: clock.now - start)) }
            switch verdict {
            case .waiting: return nil
            case .reached: return .reached(observed)
            case .failed(let reason): return .failed(reason)
            }
        }
        func takeDeletion() -> Outcome {
            report(ProgressView.deletedLine(name: session.name, elapsed: clock.now - start))
            switch tracker.observeDeletion() {
            case .reached: return .reached(nil)
            case .failed(let reason): return .failed(reason)
            case .waiting: return .streamEnded
            }
        }

        var outcome = take(session)
        if outcome == nil, session.revision > 0 {
            do {
                let request = V1WatchSessionsRequest(workspace: gateway.workspace, sinceRevision: session.revision)
                outcome = try await gateway.sessions.watchSessions(
                    request, options: CallOptions(timeout: deadline - clock.now)
                ) { events in
                    for try await event in events where event.session?.id == session.id {
                        if event.type == .deleted { return takeDeletion() }
                        if let observed = event.session, let outcome = take(observed) { return outcome }
                    }
                    return Outcome.streamEnded
                }
            } catch let error as RPCError where error.code == .deadlineExceeded {
                throw timedOut(session, tracker: tracker)
            } catch let error as RPCError where [.unimplemented, .failedPrecondition, .outOfRange].contains(error.code) {
                outcome = .streamEnded
            }
        }
        func undecided(_ outcome: Outcome?) -> Bool {
            if case .reached? = outcome { return false }
            if case .failed? = outcome { return false }
            return true
        }
        while undecided(outcome) {
            guard clock.now < deadline else { throw timedOut(session, tracker: tracker) }
            try await Task.sleep(for: min(.milliseconds(200), deadline - clock.now))
            do {
                let request = V1GetSessionRequest(workspace: gateway.workspace, sessionID: session.id)
                outcome = take(try await gateway.sessions.getSession(request))
            } catch let error as RPCError where error.code == .notFound {
                outcome = takeDeletion()
            }
        }
        switch outcome {
        case .reached(let final)?: return final
        case .failed(let reason)?:
            throw ClientFailure(
                ClientExitCode.sessionFailed, "session \(session.name) (\(session.id)) did not \(goal.phrase): \(reason)")
        case .streamEnded?, nil:
            preconditionFailure("the wait loop ends only with a verdict")
        }
    }

    private func timedOut(_ session: V1Session, tracker: SessionWaitTracker) -> ClientFailure {
        let state = tracker.lastState.map { " (it is \($0.name)\(tracker.lastReason.isEmpty ? "" : ": \(tracker.lastReason)"))" }
        return ClientFailure(
            ClientExitCode.timedOut,
            "session \(session.name) (\(session.id)) did not \(goal.phrase) within \(DurationArgument(timeout))\(state ?? "")",
            hint: "it may still get there: 'sessiongw session get \(session.id)'; wait longer with --timeout")
    }
}
