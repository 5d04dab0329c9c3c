public import Logging
internal import ServiceLifecycle
internal import SessionSDK
internal import Synchronization

/// Keeps the store and the backends in agreement, level-triggered: on start (which is
/// how sessions are recovered after a restart) and periodically it compares every
/// session with what its provider reports and repairs the difference; sessions in a
/// transitional state are polled often, with back-off; resources no session owns are
/// deleted; running sessions are checkpointed on start and periodically.
public final class Reconciler: Sendable {
    /// How often each kind of work runs.
    public struct Schedule: Sendable {
        /// A full pass over every session, with the orphan sweep.
        public var fullPass: Duration
        /// The first poll of a session in a transitional state; doubles up to `fullPass`.
        public var transitionalPoll: Duration
        /// Periodic checkpoints of running sessions.
        public var checkpoint: Duration

        /// Creates a schedule.
        public init(fullPass: Duration, transitionalPoll: Duration = .milliseconds(20), checkpoint: Duration) {
            self.fullPass = fullPass
            self.transitionalPoll = transitionalPoll
            self.checkpoint = checkpoint
        }
    }

    /// The longest wait between two polls of a BUILDING session.
    static let longestBuildingPoll: Duration = .seconds(1)

    private struct PollState {
        var due: ContinuousClock.Instant
        var backoff: Duration
    }

    let controller: SessionController
    let schedule: Schedule
    let logger: Logger
    private let polls = Mutex<[SessionID: PollState]>([:])
    private let lastCheckpoints = Mutex<[SessionID: ContinuousClock.Instant]>([:])
    /// The sessions found at start whose provider has not taken their handle back yet
    /// (nil before the first pass).
    private let unrecovered = Mutex<Set<SessionID>?>(nil)

    /// Creates a reconciler.
    public init(controller: SessionController, schedule: Schedule, logger: Logger) {
        self.controller = controller
        self.schedule = schedule
        self.logger = logger
    }

    /// Runs until cancelled or a graceful shutdown: a full pass at once, then the
    /// schedule. A graceful shutdown lets the pass in flight finish, so that what a
    /// backend call started (a checkpoint being taken) is recorded rather than cut
    /// off half done; it only cuts the wait between passes short.
    public func run() async throws {
        var nextFullPass = ContinuousClock.now
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let now = ContinuousClock.now
            if now >= nextFullPass {
                await fullPass()
                nextFullPass = now + schedule.fullPass
            } else {
                await pollTransitional()
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.schedule.transitionalPoll) }
            try Task.checkCancellation()
        }
    }

    /// Prunes the change log, the activity logs and the audit trail as the
    /// configuration's retention says; a failure is logged and tried again next pass.
    func applyRetention() async {
        let retention = controller.configuration.retention
        let store = controller.store
        do throws(SessionError) {
            try await store.pruneChanges(keepingLatest: retention.changes)
            try await store.pruneEvents(keepingLatestPerSession: retention.eventsPerSession)
            try await store.pruneAudit(before: SessionStore.now() - retention.auditTrail / .seconds(1))
        } catch {
            logger.warning("pruning the store failed", metadata: ["error": "\(error.message)"])
        }
    }

    /// Compares every session with its backend, sweeps orphans, retries pending
    /// checkpoint cleanups, prunes the store. After a start, it first re-attaches the
    /// providers to every session from its stored handle
    /// (``SessionProvider/recoverSession(_:)``), again on later passes for sessions whose
    /// provider could not be reached.
    ///
    /// Each environment's backend is listed once; a session that holds no compute
    /// (paused or failed) and that the listing shows in the same state is left alone,
    /// so the pass costs the backends little however many such sessions there are.
    public func fullPass() async {
        let started = ContinuousClock.now
        do {
            // Backends first, then the store: a session is stored before its backend
            // resources exist, so anything listed here without a record is an orphan.
            let listings = await backendSessions()
            let sessions = try await controller.store.sessionSummaries()
            let due = unrecovered.withLock { pending -> Set<SessionID> in
                let found = pending ?? Set(sessions.filter { $0.handle != nil && $0.state != .deleting }.map(\.id))
                let ids = found.intersection(sessions.map(\.id))
                pending = ids
                return ids
            }
            if !due.isEmpty {
                await recover(sessions.filter { due.contains($0.id) && $0.state != .deleting })
            }
            let unsettled = sessions.filter { !Self.isSettled($0, in: listings) }
            await reconcile(unsettled)
            await deleteOrphans(listings, known: Set(sessions.map(\.id)))
            await controller.retryReleasedCheckpoints()
            await applyRetention()
            logger.debug("reconciliation pass finished", metadata: [
                "sessions": "\(sessions.count)", "reconciled": "\(unsettled.count)",
                "duration": "\(ContinuousClock.now - started)",
            ])
        } catch {
            logger.warning("reconciliation pass failed", metadata: ["error": "\(error)"])
        }
    }

    /// Reconciles the sessions in transitional states whose poll is due.
    func pollTransitional() async {
        let transitional: [SessionSummary]
        do {
            transitional = try await controller.store.sessionSummaries(inStates: [.pending, .building, .starting, .pausing, .deleting])
        } catch {
            return
        }
        let now = ContinuousClock.now
        let due = polls.withLock { polls in
            let ids = Set(transitional.map(\.id))
            polls = polls.filter { ids.contains($0.key) }
            return transitional.filter { session in
                var state = polls[session.id] ?? PollState(due: now, backoff: schedule.transitionalPoll)
                guard state.due <= now else { return false }
                // A build's log is followed by these polls: look at least every second.
                let longest = session.state == .building ? min(Self.longestBuildingPoll, schedule.fullPass) : schedule.fullPass
                state.backoff = min(state.backoff * 2, longest)
                state.due = now + state.backoff
                polls[session.id] = state
                return true
            }
        }
        await reconcile(due)
    }

    private func reconcile(_ sessions: [SessionSummary]) async {
        await forEach(sessions) { session in await self.reconcile(session) }
    }

    /// Runs `body` for every session, at most 16 at a time.
    private func forEach(_ sessions: [SessionSummary], _ body: @escaping @Sendable (SessionSummary) async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for session in sessions {
                if running >= 16 {
                    await group.next()
                    running -= 1
                }
                group.addTask { await body(session) }
                running += 1
            }
        }
    }

    /// Hands the sessions' stored handles back to their providers, as after a gateway
    /// restart; what the providers then report is reconciled as usual. A session stays
    /// due while its provider cannot be reached.
    private func recover(_ sessions: [SessionSummary]) async {
        await forEach(sessions) { session in
            guard let handle = session.handle,
                  let provider = try? self.controller.providers.provider(
                      for: session.computeEnvironment, in: session.workspace)
            else { return }
            do {
                _ = try await provider.recoverSession(handle)
            } catch {
                // NOT_FOUND: nothing is left to recover, and the pass marks the session FAILED.
                guard (error as? SessionError)?.code == .notFound else {
                    self.logger.debug("session recovery failed", metadata: ["session.id": "\(session.id)", "error": "\(error)"])
                    return
                }
            }
            _ = self.unrecovered.withLock { $0?.remove(session.id) }
        }
    }

    /// Brings one session closer to what was accepted for it.
    func reconcile(_ session: SessionSummary) async {
        do {
            let updated = try await controller.converge(session)
            if let updated, updated.state == .running {
                // Started since the last pass: here, or by an API call that saw it RUNNING first.
                let started = controller.startedSessions.withLock { $0.remove(session.id) != nil }
                try await checkpointIfDue(updated, startedNow: started || session.state != .running)
            }
        } catch {
            logger.debug("session reconciliation failed",
                         metadata: ["session.id": "\(session.id)", "error": "\(error.message)"])
        }
    }

    private func checkpointIfDue(_ session: Session, startedNow: Bool) async throws(SessionError) {
        let provider = try controller.providers.provider(for: session.spec.computeEnvironment, in: session.workspace)
        guard provider.capabilities.contains(.checkpoints) else { return }
        let now = ContinuousClock.now
        let due = lastCheckpoints.withLock { last in
            if !startedNow, let previous = last[session.id], now - previous < schedule.checkpoint { return false }
            if !startedNow, last[session.id] == nil {
                // First sight after a gateway restart: count from now.
                last[session.id] = now
                return false
            }
            last[session.id] = now
            return true
        }
        guard due else { return }
        try await controller.checkpointRunning(session.id, in: session.workspace, trigger: startedNow ? .start : .periodic)
    }

    /// One environment's backend sessions, by id.
    private struct Listing {
        var provider: any SessionProvider
        var statuses: [SessionID: ProviderSessionStatus]
    }

    /// Whether the session is at rest and its backend's listing agrees.
    private static func isSettled(_ session: SessionSummary, in listings: [String: Listing]) -> Bool {
        guard !session.state.holdsCompute, session.state != .deleting, session.state != .unknown,
              let listing = listings[ProviderRegistry.key(session.workspace, session.computeEnvironment)]
        else { return false }
        return listing.statuses[session.id]?.state == session.state
    }

    /// The listing of every environment whose backend answered, by environment key.
    private func backendSessions() async -> [String: Listing] {
        var listings: [String: Listing] = [:]
        for (key, provider) in controller.providers.byEnvironment {
            do {
                let statuses = try await provider.listSessions()
                listings[key] = Listing(
                    provider: provider, statuses: Dictionary(statuses.map { ($0.sessionID, $0) }, uniquingKeysWith: { first, _ in first }))
            } catch {
                logger.debug("listing backend sessions failed",
                             metadata: ["backend.kind": "\(provider.identity.name)", "error": "\(error)"])
            }
        }
        return listings
    }

    private func deleteOrphans(_ listings: [String: Listing], known: Set<SessionID>) async {
        for listing in listings.values {
            for status in listing.statuses.values where !known.contains(status.sessionID) {
                let provider = listing.provider
                logger.info("deleting backend resources no session owns",
                            metadata: ["session.id": "\(status.sessionID)", "backend.kind": "\(provider.identity.name)"])
                do {
                    try await provider.deleteSession(status.handle)
                } catch {
                    logger.debug("orphan deletion failed", metadata: ["session.id": "\(status.sessionID)", "error": "\(error)"])
                }
            }
        }
    }
}
