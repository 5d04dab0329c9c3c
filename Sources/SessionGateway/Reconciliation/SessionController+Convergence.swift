internal import Synchronization
internal import SessionSDK

extension SessionController {
    /// One reconciliation step for a session: finishes an interrupted operation, or
    /// records what the backend reports. Returns the session afterwards, nil once it is
    /// deleted.
    /// Skipped (nil) while an API call is working on the session.
    func converge(_ session: SessionSummary) async throws(SessionError) -> Session? {
        try await locks.withLockIfFree(session.id) { () async throws(SessionError) in
            // Re-read: the session may have changed while the pass was queued.
            guard let current = try? await store.session(id: session.id, workspace: session.workspace) else { return nil }
            return try await convergeLocked(current)
        } ?? nil
    }

    private func convergeLocked(_ session: Session) async throws(SessionError) -> Session? {
        switch session.state {
        case .deleting:
            try await finishDeletion(session)
            return nil
        case .pausing:
            return try await finishPause(session)
        default:
            break
        }
        guard let handle = session.handle else {
            // Accepted, but the backend was never reached (a restart or an outage).
            guard session.state == .pending else { return session }
            return try await restart(session)
        }
        let provider = try providers.provider(for: session.spec.computeEnvironment, in: session.workspace)
        do throws(SessionError) {
            let status = try await providerCall { try await provider.describeSession(handle) }
            await followBuildLog(of: session, handle: handle, provider: provider, observed: status.state)
            let updated = try await record(status, for: session.id, in: session.workspace)
            try await warnOfDurationLimit(updated, timeLeft: status.timeLeft)
            if let left = status.timeLeft, left <= .zero, updated.state == .running {
                _ = try await store.appendEvent(
                    session: session.id, type: "DURATION_LIMIT", message: "the session reached its duration limit; pausing it")
                var pausing = updated
                guard try await accept(.pause, on: &pausing, reason: "duration limit reached") == .pause else {
                    return pausing
                }
                return try await finishPause(pausing)
            }
            return updated
        } catch where error.code == .notFound {
            let reason = "the backend has no resources for this session any more; they were removed outside the gateway"
            return try await record(
                ProviderSessionStatus(sessionID: session.id, handle: handle, state: .failed, reason: reason),
                for: session.id, in: session.workspace)
        } catch where error.code == .unavailable {
            return try await record(
                ProviderSessionStatus(
                    sessionID: session.id, handle: handle, state: .unknown,
                    reason: "the backend cannot be reached: \(error.message)"),
                for: session.id, in: session.workspace)
        }
    }

    /// How long before a session's duration limit its activity log says so.
    static let durationWarningLead: Duration = .seconds(600)

    /// Appends a `DURATION_WARNING` event once per run when a running session's time
    /// left drops under ``durationWarningLead``, so that people can save their work.
    private func warnOfDurationLimit(_ session: Session, timeLeft: Duration?) async throws(SessionError) {
        guard session.state == .running, let timeLeft, timeLeft > .zero, timeLeft <= Self.durationWarningLead else {
            if session.state != .running { _ = durationWarnings.withLock { $0.remove(session.id) } }
            return
        }
        guard durationWarnings.withLock({ $0.insert(session.id).inserted }) else { return }
        let minutes = Int((Double(timeLeft.components.seconds) / 60).rounded(.up))
        _ = try await store.appendEvent(
            session: session.id, type: "DURATION_WARNING",
            message: "the session reaches its duration limit in about \(minutes) minute\(minutes == 1 ? "" : "s") and will then be paused; save your work")
    }

    /// Starts an acknowledged session the backend never got; a refusal now fails it
    /// (it was acknowledged, so it is kept) instead of removing it.
    private func restart(_ session: Session) async throws(SessionError) -> Session {
        do throws(SessionError) {
            let plan = try await plan(session.spec, in: session.workspace)
            var restoreFrom: Checkpoint?
            if let origin = session.clonedFrom {
                restoreFrom = try await store.checkpoint(id: origin, workspace: session.workspace)
            }
            let request = try await resolver.request(
                for: session, preset: plan.preset, image: plan.image, resources: plan.resources,
                environment: plan.environment.environment, dataLinks: plan.dataLinks, restoreFrom: restoreFrom)
            let status = try await providerCall { try await plan.provider.createSession(request) }
            return try await record(status, for: session.id, in: session.workspace)
        } catch where error.code == .unavailable {
            throw error
        } catch {
            return try await store.updateSession(id: session.id, workspace: session.workspace) {
                $0.state = .failed
                $0.stateReason = "the backend refused the session: \(error.message)"
            }
        }
    }

    /// Deletes the data of checkpoints released earlier whose cleanup did not finish.
    func retryReleasedCheckpoints() async {
        guard let released = try? await store.releasedCheckpoints() else { return }
        for checkpoint in released {
            await deleteReleasedCheckpoint(checkpoint)
        }
    }
}
