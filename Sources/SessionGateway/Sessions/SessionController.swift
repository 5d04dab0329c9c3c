public import Logging
public import SessionSDK
internal import Synchronization

/// The gateway's session operations, in domain terms: every public API call that
/// changes a session goes through here, and so does the reconciler.
///
/// Each operation checks the request, enforces the lifecycle (``SessionLifecycle``)
/// against the stored state, persists what it accepted (so a crash after this point
/// loses nothing), and only then calls the provider. A provider that cannot be reached
/// leaves the session in its transitional state for the reconciler to finish.
public final class SessionController: Sendable {
    let configuration: GatewayConfiguration
    let store: SessionStore
    let providers: ProviderRegistry
    let resolver: SessionSpecResolver
    /// The sessions' agent tokens; nil runs sessions without the agent.
    let agentTokens: AgentTokens?
    let logger: Logger
    /// One operation per session at a time, API calls and reconciler alike.
    let locks = KeyedLock<SessionID>()
    /// Sessions recorded as having become RUNNING (by any caller) whose START
    /// checkpoint the reconciler has not taken yet.
    let startedSessions = Mutex<Set<SessionID>>([])
    /// Running sessions already warned that their duration limit is near.
    let durationWarnings = Mutex<Set<SessionID>>([])
    /// The next line of each building session's build log to copy into its activity log.
    let buildLogLines = Mutex<[SessionID: Int]>([:])
    /// Sessions whose home is at the disk limit (``HomeAtLimit``).
    let homesAtLimit = Mutex<[SessionID: HomeAtLimit]>([:])

    /// Creates a controller; with `agentTokens`, every session's request carries its
    /// agent token, so backends with the TERMINALS capability run the session agent.
    public init(
        configuration: GatewayConfiguration, store: SessionStore, providers: ProviderRegistry,
        secrets: any SecretResolver, agentTokens: AgentTokens? = nil, logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.providers = providers
        self.resolver = SessionSpecResolver(configuration: configuration, secrets: secrets, agentTokens: agentTokens)
        self.agentTokens = agentTokens
        self.logger = logger
    }

    // MARK: Create and clone

    /// The home volume size a new session of a preset gets when its spec names none.
    public func defaultHomeVolumeBytes(for preset: String) -> Int64 {
        configuration.preset(preset)?.defaultHomeVolumeBytes ?? (5 << 30)
    }

    /// Creates a session, or returns the existing one for a repeated identical request.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming a bad field, `NOT_FOUND` for a missing preset,
    ///   image, environment, data-link or secret, `ALREADY_EXISTS` for the name taken
    ///   with another spec, `RESOURCE_EXHAUSTED` over the disk limit (checked atomically
    ///   with the insert), or the provider's refusal (after which nothing is kept).
    public func createSession(
        workspace: WorkspaceID, name: String, owner: String, spec: SessionSpec, allowExperimentalImage: Bool = false
    ) async throws(SessionError) -> Session {
        try SessionSpecResolver.validateName(name, field: "name")
        let plan = try await plan(spec, in: workspace)
        try ImageTags.check(plan.image, of: plan.preset, allowExperimental: allowExperimentalImage)
        let spec = startingHome(spec, provider: plan.provider)
        let (session, created) = try await store.createSession(
            workspace: workspace, name: name, owner: owner, spec: spec, diskQuota: DiskQuota(plan.environment.environment))
        guard created else { return session }
        return try await locks.withLock(session.id) { () async throws(SessionError) in
            _ = try await store.appendEvent(session: session.id, type: "CREATED", message: "created by \(owner)", actor: owner)
            try await recordImageWarnings(of: session, plan: plan)
            return try await start(session, plan: plan, restoreFrom: nil)
        }
    }

    /// Where "add as new" starts from.
    public enum CloneSource: Hashable, Sendable {
        /// A checkpoint: any but the one its session is running from.
        case checkpoint(CheckpointID)
        /// The latest checkpoint of a stopped session.
        case latestCheckpoint(of: SessionID)
    }

    /// The checkpoint a clone starts from.
    ///
    /// - Throws: `FAILED_PRECONDITION` for a session that is not stopped or has no
    ///   checkpoint, or for the running session's current checkpoint; `NOT_FOUND`.
    private func checkpoint(
        for source: CloneSource, in workspace: WorkspaceID
    ) async throws(SessionError) -> (checkpoint: Checkpoint, origin: Session) {
        switch source {
        case .latestCheckpoint(let id):
            let origin = try await store.session(id: id, workspace: workspace)
            guard [.paused, .failed].contains(origin.state) else {
                throw SessionError(
                    .failedPrecondition,
                    "session '\(origin.name)' is \(origin.state); add as new from a stopped (PAUSED or FAILED) session, "
                        + "or name one of its earlier checkpoints")
            }
            guard let latest = try await store.checkpoints(session: id, workspace: workspace).first else {
                throw SessionError(.failedPrecondition, "session '\(origin.name)' has no checkpoint to start from")
            }
            return (latest, origin)
        case .checkpoint(let id):
            let checkpoint = try await store.checkpoint(id: id, workspace: workspace)
            let origin = try await store.session(id: checkpoint.session, workspace: workspace)
            if origin.state == .running || origin.state == .pausing {
                let latest = try await store.checkpoints(session: origin.id, workspace: workspace).first
                if latest?.id == checkpoint.id {
                    throw SessionError(
                        .failedPrecondition,
                        "checkpoint '\(checkpoint.name)' is the current checkpoint of session '\(origin.name)', which is \(origin.state); pause it or pick an earlier checkpoint")
                }
            }
            return (checkpoint, origin)
        }
    }

    /// Records in the activity log what ``ImageTags`` warns of for a new session's image.
    private func recordImageWarnings(of session: Session, plan: SessionPlan) async throws(SessionError) {
        for warning in ImageTags.warnings(image: plan.image.name, preset: plan.preset.id, in: plan.preset) {
            _ = try await store.appendEvent(session: session.id, type: "IMAGE_WARNING", message: warning)
        }
    }

    /// Creates a session from a checkpoint ("add as new"): same preset, environment and
    /// duration limit as the checkpoint's session, its own isolated storage; `image`, when
    /// given, another image of the preset (an EXPERIMENTAL one only with
    /// `allowExperimentalImage`), which is how a session migrates off a DEPRECATED one.
    ///
    /// - Throws: `NOT_FOUND` for the checkpoint or session, `FAILED_PRECONDITION` for
    ///   the running session's current checkpoint, a session that is not stopped or has
    ///   no checkpoint, or an EXPERIMENTAL image without opt-in; `UNIMPLEMENTED` without
    ///   the clone capability.
    public func cloneSession(
        workspace: WorkspaceID, from source: CloneSource, name: String, owner: String, image: String?,
        allowExperimentalImage: Bool = false
    ) async throws(SessionError) -> Session {
        try SessionSpecResolver.validateName(name, field: "name")
        let (checkpoint, origin) = try await checkpoint(for: source, in: workspace)
        var spec = origin.spec
        if let image { spec.image = image }
        if case .existing = spec.homeVolume {
            spec.homeVolume = .new(sizeBytes: configuration.preset(spec.preset)?.defaultHomeVolumeBytes ?? (5 << 30))
        }
        let plan = try await plan(spec, in: workspace)
        if image != nil { try ImageTags.check(plan.image, of: plan.preset, allowExperimental: allowExperimentalImage) }
        guard plan.provider.capabilities.contains(.clone) else {
            throw type(of: plan.provider).unimplemented("cloning from checkpoints", capability: .clone)
        }
        spec = startingHome(spec, provider: plan.provider)
        let (session, created) = try await store.createSession(
            workspace: workspace, name: name, owner: owner, spec: spec, clonedFrom: checkpoint.id,
            diskQuota: DiskQuota(plan.environment.environment))
        guard created else { return session }
        return try await locks.withLock(session.id) { () async throws(SessionError) in
            _ = try await store.appendEvent(
                session: session.id, type: "CREATED",
                message: "cloned by \(owner) from checkpoint '\(checkpoint.name)' of session '\(origin.name)'",
                actor: owner)
            try await recordImageWarnings(of: session, plan: plan)
            return try await start(session, plan: plan, restoreFrom: checkpoint)
        }
    }

    /// Asks the provider to create the session's compute, recording the outcome.
    func start(_ session: Session, plan: SessionPlan, restoreFrom: Checkpoint?) async throws(SessionError) -> Session {
        do throws(SessionError) {
            let request = try await resolver.request(
                for: session, preset: plan.preset, image: plan.image, resources: plan.resources,
                environment: plan.environment.environment, dataLinks: plan.dataLinks, restoreFrom: restoreFrom)
            let status = try await providerCall { try await plan.provider.createSession(request) }
            return try await record(status, for: session.id, in: session.workspace)
        } catch where error.code == .unavailable {
            logger.info("backend unavailable; the reconciler will start the session",
                        metadata: ["session.id": "\(session.id)", "error": "\(error.message)"])
            return try await store.updateSession(id: session.id) { $0.stateReason = "waiting for the backend: \(error.message)" }
        } catch {
            // The provider refused: it started nothing, so nothing is kept.
            _ = try? await store.deleteSession(id: session.id)
            throw error
        }
    }

    // MARK: Pause, resume, delete

    /// Takes a final checkpoint, then releases compute and keeps storage. `actor`, who
    /// asked, is recorded in the activity log (empty for the gateway's own work).
    public func pauseSession(workspace: WorkspaceID, id: SessionID, actor: String = "") async throws(SessionError) -> Session {
        try await refuseAtOnce(.pause, id: id, workspace: workspace)
        return try await locks.withLock(id) { () async throws(SessionError) in
            var session = try await store.session(id: id, workspace: workspace)
            guard try await accept(.pause, on: &session, reason: "pause requested", actor: actor) == .pause else {
                return session
            }
            return try await finishPause(session)
        }
    }

    /// Pauses a running session its idle policy culls (``IdleMonitor``): the activity
    /// log says why (`report`: which signals were quiet, since when) before the pause,
    /// which takes a final checkpoint as every pause does. A session no longer running
    /// is left as it is.
    public func cullIdleSession(workspace: WorkspaceID, id: SessionID, report: String) async throws(SessionError) -> Session {
        try await pauseByPolicy(workspace: workspace, id: id, event: "IDLE_CULLED", report: report, reason: "paused by the idle culling policy")
    }

    /// Pauses a running session for a policy of the gateway's: the activity log gets
    /// `report` as an `event` entry, then the pause (with its final checkpoint) records
    /// `reason`. A session no longer running is left as it is.
    func pauseByPolicy(
        workspace: WorkspaceID, id: SessionID, event: String, report: String, reason: String
    ) async throws(SessionError) -> Session {
        try await locks.withLock(id) { () async throws(SessionError) in
            var session = try await store.session(id: id, workspace: workspace)
            guard session.state == .running else { return session }
            _ = try await store.appendEvent(session: id, type: event, message: report)
            guard try await accept(.pause, on: &session, reason: reason) == .pause else { return session }
            return try await finishPause(session)
        }
    }

    func finishPause(_ session: Session) async throws(SessionError) -> Session {
        let provider = try providers.provider(for: session.spec.computeEnvironment, in: session.workspace)
        guard let handle = session.handle else {
            return try await store.updateSession(id: session.id) { $0.state = .paused }
        }
        if provider.capabilities.contains(.checkpoints) {
            do throws(SessionError) {
                _ = try await takeCheckpoint(of: session, trigger: .pause)
            } catch {
                _ = try? await store.appendEvent(
                    session: session.id, type: "CHECKPOINT_FAILED", message: "the final checkpoint failed: \(error.message)")
            }
        }
        do throws(SessionError) {
            return try await record(try await providerCall { try await provider.pauseSession(handle) }, for: session.id, in: session.workspace)
        } catch where error.code == .unavailable {
            return try await store.updateSession(id: session.id) { $0.stateReason = "pausing; waiting for the backend" }
        }
    }

    /// Starts compute again with the same storage, from PAUSED or FAILED.
    public func resumeSession(workspace: WorkspaceID, id: SessionID, actor: String = "") async throws(SessionError) -> Session {
        try await refuseAtOnce(.resume, id: id, workspace: workspace)
        return try await locks.withLock(id) { () async throws(SessionError) in
            var session = try await store.session(id: id, workspace: workspace)
            guard try await accept(.resume, on: &session, reason: "resume requested", actor: actor) == .resume else {
                return session
            }
            return try await finishResume(session)
        }
    }

    func finishResume(_ session: Session) async throws(SessionError) -> Session {
        let plan = try await plan(session.spec, in: session.workspace)
        let session = try await reclaimHome(of: session, provider: plan.provider)
        guard let handle = session.handle else { return try await start(session, plan: plan, restoreFrom: nil) }
        do throws(SessionError) {
            let request = try await resolver.request(
                for: session, preset: plan.preset, image: plan.image, resources: plan.resources,
                environment: plan.environment.environment, dataLinks: plan.dataLinks)
            let status = try await providerCall { try await plan.provider.resumeSession(handle, request: request) }
            return try await record(status, for: session.id, in: session.workspace)
        } catch where error.code == .unavailable {
            return try await store.updateSession(id: session.id) { $0.stateReason = "resuming; waiting for the backend" }
        }
    }

    /// Tears down compute and storage; irreversible. An unknown id succeeds.
    ///
    /// - Throws: `FAILED_PRECONDITION` while the session holds compute, unless `force`;
    ///   `UNAVAILABLE` when the backend cannot be reached (the session stays DELETING
    ///   and the deletion completes when it can).
    public func deleteSession(
        workspace: WorkspaceID, id: SessionID, force: Bool, actor: String = ""
    ) async throws(SessionError) {
        do throws(SessionError) {
            try await refuseAtOnce(.delete(force: force), id: id, workspace: workspace)
        } catch where error.code == .notFound {
            return
        }
        try await locks.withLock(id) { () async throws(SessionError) in
            try await delete(workspace: workspace, id: id, force: force, actor: actor)
        }
    }

    private func delete(workspace: WorkspaceID, id: SessionID, force: Bool, actor: String) async throws(SessionError) {
        var session: Session
        do throws(SessionError) {
            session = try await store.session(id: id, workspace: workspace)
        } catch where error.code == .notFound {
            return
        }
        let action = try await accept(
            .delete(force: force), on: &session, reason: force ? "forced delete requested" : "delete requested", actor: actor)
        guard action == .delete || session.state == .deleting else { return }
        try await finishDeletion(session)
    }

    func finishDeletion(_ session: Session) async throws(SessionError) {
        let provider = try providers.provider(for: session.spec.computeEnvironment, in: session.workspace)
        if let handle = session.handle {
            try await providerCall { try await provider.deleteSession(handle) }
        }
        let released: [Checkpoint]
        do throws(SessionError) {
            released = try await store.deleteSession(id: session.id)
        } catch where error.code == .notFound {
            return
        }
        logger.info("session deleted", metadata: ["session.id": "\(session.id)"])
        _ = buildLogLines.withLock { $0.removeValue(forKey: session.id) }
        _ = homesAtLimit.withLock { $0.removeValue(forKey: session.id) }
        for checkpoint in released {
            await deleteReleasedCheckpoint(checkpoint)
        }
    }

    /// Deletes a released checkpoint's data through the backend of the compute
    /// environment that took it (never another: a backend may report success for a
    /// location that is not its own), then forgets it. A failure leaves it for the
    /// reconciler's next pass.
    func deleteReleasedCheckpoint(_ checkpoint: Checkpoint) async {
        do throws(SessionError) {
            guard let holder = try await store.checkpointHolder(id: checkpoint.id) else {
                throw SessionError(
                    .failedPrecondition, "the store does not know which compute environment holds checkpoint '\(checkpoint.id)'")
            }
            let provider = try providers.provider(for: holder.computeEnvironment, in: holder.workspace)
            try await providerCall { try await provider.deleteCheckpoint(checkpoint) }
            try await store.purgeCheckpoint(id: checkpoint.id)
        } catch {
            logger.info("checkpoint cleanup deferred", metadata: ["checkpoint.id": "\(checkpoint.id)", "error": "\(error.message)"])
        }
    }

    // MARK: Updates and connections

    /// Replaces the editable parts of a session's spec.
    ///
    /// - Throws: `FAILED_PRECONDITION` when a change needs a paused session (compute
    ///   size, environment, volumes, data-links, image, pool) and it is not paused;
    ///   `RESOURCE_EXHAUSTED` when a larger home volume would exceed the disk limit;
    ///   `INVALID_ARGUMENT` for the preset or compute environment, which cannot change.
    public func updateSession(
        workspace: WorkspaceID, id: SessionID, spec: SessionSpec, actor: String = ""
    ) async throws(SessionError) -> Session {
        try await locks.withLock(id) { () async throws(SessionError) in
            try await update(workspace: workspace, id: id, spec: spec, actor: actor)
        }
    }

    private func update(
        workspace: WorkspaceID, id: SessionID, spec: SessionSpec, actor: String
    ) async throws(SessionError) -> Session {
        let session = try await store.session(id: id, workspace: workspace)
        let current = session.spec
        guard spec.preset == current.preset, spec.computeEnvironment == current.computeEnvironment else {
            throw SessionError(
                .invalidArgument, "preset and compute_environment cannot change; clone the session from a checkpoint instead")
        }
        var kinds: [SessionLifecycle.UpdateKind] = []
        if spec.podSize != current.podSize || spec.resources != current.resources || spec.image != current.image
            || spec.computePool != current.computePool { kinds.append(.compute) }
        if spec.environment != current.environment { kinds.append(.environment) }
        if spec.homeVolume != current.homeVolume || spec.dataVolumes != current.dataVolumes { kinds.append(.volumes) }
        if spec.dataLinks != current.dataLinks { kinds.append(.dataLinks) }
        if spec.labels != current.labels { kinds.append(.labels) }
        if spec.durationLimit != current.durationLimit { kinds.append(.durationLimit) }
        guard !kinds.isEmpty else { return session }
        var lifecycle = SessionLifecycle(state: session.state)
        for kind in kinds { _ = try lifecycle.handle(.update(kind)) }
        let plan = try await plan(spec, in: workspace)
        let updated = try await store.updateSession(
            id: id, workspace: workspace, expectedRevision: session.revision, diskQuota: DiskQuota(plan.environment.environment)
        ) {
            $0.spec = spec
        }
        _ = try await store.appendEvent(
            session: id, type: "UPDATED", message: "changed \(kinds.map(\.description).joined(separator: ", "))",
            actor: actor)
        return updated
    }

    /// The URL and access token of a running session.
    public func connection(workspace: WorkspaceID, id: SessionID) async throws(SessionError) -> Session.Connection {
        let session = try await store.session(id: id, workspace: workspace)
        var lifecycle = SessionLifecycle(state: session.state)
        _ = try lifecycle.handle(.connect)
        guard let connection = session.connection else {
            throw SessionError(.unavailable, "session '\(session.name)' is RUNNING but its endpoint is not known yet; retry")
        }
        return connection
    }
}
