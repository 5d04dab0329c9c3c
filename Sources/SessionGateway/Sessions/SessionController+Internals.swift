internal import Foundation
internal import ProviderPlugin
internal import SessionSDK
internal import Synchronization

/// What a spec resolves to: its catalog entries, provider and data-links.
struct SessionPlan: Sendable {
    let preset: Preset
    let image: Preset.Image
    let resources: Resources
    let environment: GatewayConfiguration.Environment
    let provider: any SessionProvider
    let dataLinks: [DataLink]
}

extension SessionController {
    /// Checks a spec completely and resolves what starting it needs.
    func plan(_ spec: SessionSpec, in workspace: WorkspaceID) async throws(SessionError) -> SessionPlan {
        let (preset, image, resources, environment) = try resolver.catalogEntries(for: spec, in: workspace)
        let provider = try providers.provider(for: environment.environment.id, in: workspace)
        if let remote = provider as? RemoteProvider, !remote.hasIdentity {
            // Capabilities are unknown until the plugin has answered once.
            do {
                try await remote.connect()
            } catch {
                throw SessionError(.unavailable, "the provider of '\(environment.environment.id)' cannot be reached; retry", cause: error)
            }
        }
        try resolver.validate(spec, capabilities: provider.capabilities, environment: environment.environment)
        if resources.gpus > 0 {
            try SessionSpecResolver.requireCapability(.gpus, in: provider.capabilities, for: "GPUs")
        }
        for variable in spec.environment {
            if case .secret(let name) = variable.value {
                _ = try await resolver.secrets.value(ofSecret: name, in: workspace)
            }
        }
        let dataLinks = try await store.dataLinks(ids: spec.dataLinks, workspace: workspace)
        try DataLinkRules.requireListedBuckets(dataLinks, in: environment.environment)
        _ = try DataLinkRules.mounts(for: dataLinks, in: environment.environment)
        return SessionPlan(
            preset: preset, image: image, resources: resources, environment: environment, provider: provider,
            dataLinks: dataLinks)
    }

    /// Refuses at once a request the stored state does not allow, naming that state,
    /// rather than waiting for an operation in progress on the session (a pause that
    /// takes the backend's grace period) and then doing it. A request that is allowed
    /// goes on to wait for the session and is checked again by ``accept(_:on:reason:)``.
    func refuseAtOnce(
        _ request: SessionLifecycle.Request, id: SessionID, workspace: WorkspaceID
    ) async throws(SessionError) {
        var lifecycle = SessionLifecycle(state: try await store.session(id: id, workspace: workspace).state)
        _ = try lifecycle.handle(request)
    }

    /// Applies a request to the stored state, persisting the new state with the
    /// revision it was read at: a conflicting concurrent operation gets `ABORTED`.
    /// A caller's request that changes something (`actor` not empty) is recorded in
    /// the activity log as an action, before the state change it causes.
    func accept(
        _ request: SessionLifecycle.Request, on session: inout Session, reason: String, actor: String = ""
    ) async throws(SessionError) -> SessionLifecycle.Action {
        var lifecycle = SessionLifecycle(state: session.state)
        let action = try lifecycle.handle(request)
        guard action != .none, action != .record else { return action }
        if !actor.isEmpty, let type = Self.actionType(of: request) {
            _ = try await store.appendEvent(
                session: session.id, type: type, message: "\(reason) by \(actor)", actor: actor)
        }
        let previous = session.state
        let next = lifecycle.state
        session = try await store.updateSession(
            id: session.id, workspace: session.workspace, expectedRevision: session.revision
        ) {
            $0.state = next
            $0.stateReason = reason
            if next != .running { $0.connection = nil }
        }
        try await recordTransition(of: session.id, from: previous, to: next, reason: reason)
        return action
    }

    /// Records what the provider observed, through the lifecycle's rules; retried when
    /// a concurrent change got in first. Repairs drift the lifecycle reports.
    @discardableResult
    func record(
        _ status: ProviderSessionStatus, for id: SessionID, in workspace: WorkspaceID
    ) async throws(SessionError) -> Session {
        var reason: String?
        for attempt in 0..<5 {
            let current = try await store.session(id: id, workspace: workspace)
            if reason == nil { reason = await masked(status.reason, of: current) }
            let shown = reason ?? ""
            var lifecycle = SessionLifecycle(state: current.state)
            let observation = lifecycle.observe(status.state)
            let next = lifecycle.state
            let applies = observation != SessionLifecycle.Observation.ignored
            do throws(SessionError) {
                let updated = try await store.updateSession(id: id, expectedRevision: current.revision) {
                    $0.handle = status.handle
                    $0.state = next
                    if applies { $0.stateReason = shown }
                    $0.connection = next == .running ? status.connection : nil
                }
                if current.state != next {
                    if next == .running { _ = startedSessions.withLock { $0.insert(id) } }
                    try await recordTransition(of: id, from: current.state, to: next, reason: shown)
                }
                if case .repair(.pause) = observation {
                    return try await finishPause(updated)
                }
                return updated
            } catch where error.code == .aborted && attempt < 4 {
                continue
            }
        }
        throw SessionError(.aborted, "session '\(id)' kept changing; retry")
    }

    /// The shortest secret value that is masked: shorter ones would garble every text
    /// they happen to occur in.
    static let shortestMaskedSecret = 4

    /// A backend's reason (a failure message, the last lines of a log) with the values of
    /// the session's secret variables replaced by `[secret NAME]`: session code may print
    /// its environment, and reasons are shown to every member who may view the session.
    func masked(_ reason: String, of session: Session) async -> String {
        guard !reason.isEmpty else { return reason }
        return await secretMask(of: session)(reason)
    }

    /// What ``masked(_:of:)`` does, for many texts: the session's secret values are read
    /// once, then each text is masked without I/O.
    func secretMask(of session: Session) async -> @Sendable (String) -> String {
        var secrets: [(name: String, value: String)] = []
        for variable in session.spec.environment {
            guard case .secret(let name) = variable.value,
                  let value = try? await resolver.secrets.value(ofSecret: name, in: session.workspace),
                  value.count >= Self.shortestMaskedSecret
            else { continue }
            secrets.append((name, value))
        }
        return { [secrets] text in
            secrets.reduce(text) { masked, secret in masked.replacingOccurrences(of: secret.value, with: "[secret \(secret.name)]") }
        }
    }

    /// The activity log type of a caller's lifecycle request.
    static func actionType(of request: SessionLifecycle.Request) -> String? {
        switch request {
        case .pause: "PAUSE_REQUESTED"
        case .resume: "RESUME_REQUESTED"
        case .delete: "DELETE_REQUESTED"
        default: nil
        }
    }

    func recordTransition(of id: SessionID, from: SessionState, to: SessionState, reason: String) async throws(SessionError) {
        guard from != to else { return }
        let message = reason.isEmpty ? "\(from) → \(to)" : "\(from) → \(to): \(reason)"
        _ = try await store.appendEvent(session: id, type: "STATE_CHANGED", message: message, fromState: from, toState: to)
    }

    /// Takes a start or periodic checkpoint of a session the reconciler saw running, under
    /// the session's lock: one a request paused or deleted meanwhile is left alone.
    func checkpointRunning(_ id: SessionID, in workspace: WorkspaceID, trigger: Checkpoint.Trigger) async throws(SessionError) {
        try await locks.withLock(id) { () async throws(SessionError) in
            let session = try await store.session(id: id, workspace: workspace)
            guard session.state == .running else { return }
            _ = try await takeCheckpoint(of: session, trigger: trigger)
        }
    }

    /// Takes a checkpoint of a session's filesystem through its provider and records it;
    /// one the store will not record is deleted from the backend again.
    func takeCheckpoint(of session: Session, trigger: Checkpoint.Trigger) async throws(SessionError) -> Checkpoint {
        guard let handle = session.handle else {
            throw SessionError(.failedPrecondition, "session '\(session.name)' has nothing to checkpoint yet")
        }
        let provider = try providers.provider(for: session.spec.computeEnvironment, in: session.workspace)
        let now = SessionStore.now()
        let stamp = Self.timestamp(now)
        let draft = Checkpoint(
            id: CheckpointID(rawValue: "c-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)),
            session: session.id, name: "\(trigger.rawValue.lowercased())-\(stamp)", trigger: trigger, sizeBytes: 0,
            location: "", createdAt: now)
        let taken = try await providerCall { try await provider.createCheckpoint(handle, checkpoint: draft) }
        var stored: Checkpoint
        do throws(SessionError) {
            do throws(SessionError) {
                stored = try await store.addCheckpoint(taken)
            } catch where error.code == .alreadyExists {
                var renamed = taken
                renamed.name += "-\(taken.id.rawValue.suffix(4))"
                stored = try await store.addCheckpoint(renamed)
            }
        } catch {
            // Not recorded (the session was deleted meanwhile): nothing will ever delete it
            // but this.
            _ = try? await providerCall { try await provider.deleteCheckpoint(taken) }
            throw error
        }
        _ = try await store.appendEvent(
            session: session.id, type: "CHECKPOINT", message: "checkpoint '\(stored.name)' taken (\(stored.sizeBytes) bytes)")
        return stored
    }

    /// Runs a provider call, turning any error into a ``SessionError``.
    func providerCall<Result>(_ body: () async throws -> Result) async throws(SessionError) -> Result {
        do {
            return try await body()
        } catch let error as SessionError {
            throw error
        } catch is CancellationError {
            throw SessionError(.cancelled, "the operation was cancelled")
        } catch {
            throw SessionError(.internalError, "the backend failed unexpectedly", cause: error)
        }
    }

    static func timestamp(_ seconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
