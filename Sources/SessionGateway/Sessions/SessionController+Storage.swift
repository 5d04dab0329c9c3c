internal import Logging
internal import SessionSDK
internal import Synchronization

extension SessionController {
    /// Whether the gateway sizes the homes of sessions of `spec` on `provider`: growing
    /// homes are on, the provider makes homes filesystems of their own or puts them on
    /// elastic storage, and the home is a new one (an existing volume keeps its size).
    func growsHome(_ spec: SessionSpec, provider: any SessionProvider) -> Bool {
        guard configuration.storage.sizesHomes(of: provider.capabilities) else { return false }
        if case .new = spec.homeVolume { return true }
        return false
    }

    /// `spec` with the size a new growing home starts at (``GatewayConfiguration/Storage/initialBytes``).
    func startingHome(_ spec: SessionSpec, provider: any SessionProvider) -> SessionSpec {
        guard growsHome(spec, provider: provider) else { return spec }
        var spec = spec
        spec.homeVolume = .new(sizeBytes: configuration.storage.initialBytes)
        return spec
    }

    /// Before a resume: a growing home starts again with the initial size free over what
    /// it held when its agent last measured it (a paused session gives back what it no
    /// longer needs); the activity log says so when the size changes.
    func reclaimHome(of session: Session, provider: any SessionProvider) async throws(SessionError) -> Session {
        _ = homesAtLimit.withLock { $0.removeValue(forKey: session.id) }
        guard growsHome(session.spec, provider: provider), case .new(let size) = session.spec.homeVolume,
              let used = try await store.latestUtilization(of: session.id)?.diskUsedBytes
        else { return session }
        let target = used + configuration.storage.initialBytes
        guard target != size, let room = try await homeRoom(of: session) else { return session }
        // Smaller is always allowed; larger as far as the limit leaves room.
        let resized = target < size ? target : max(size, min(target, room.available))
        guard resized != size else { return session }
        let updated = try await store.updateSession(id: session.id, workspace: session.workspace) {
            $0.spec.homeVolume = .new(sizeBytes: resized)
        }
        _ = try await store.appendEvent(
            session: session.id, type: "STORAGE_RESIZED",
            message: "the home starts again at \(Self.size(resized)): \(Self.size(used)) held and \(Self.size(resized - used)) free (it was \(Self.size(size)))")
        return updated
    }

    /// A sample as the gateway keeps it: the agent of a home on elastic storage
    /// measures only what the home holds, so its total is the home's share of the disk
    /// limit, which is what the session may hold.
    func sizedSample(_ sample: UtilizationSample, of session: Session) -> UtilizationSample {
        guard sample.diskTotalBytes == 0, case .new(let size) = session.spec.homeVolume,
              let provider = try? providers.provider(for: session.spec.computeEnvironment, in: session.workspace),
              provider.capabilities.contains(.elasticHome), growsHome(session.spec, provider: provider)
        else { return sample }
        var sample = sample
        sample.diskTotalBytes = size
        return sample
    }

    /// After a running session's sample (``sizedSample(_:of:)``): grows its home by
    /// steps until at least the minimum is free, as far as the compute environment's
    /// disk limit leaves room; at the limit, the activity log says once that writes will
    /// fail with "no space" — or, on elastic storage where writes do not fail, that the
    /// session is paused when it holds more than its share for the grace period, and
    /// then pauses it. Skipped while an API call works on the session.
    func growHomeIfFilling(_ session: Session, sample: UtilizationSample) async {
        let free = sample.diskTotalBytes - sample.diskUsedBytes
        guard sample.diskTotalBytes > 0, case .new = session.spec.homeVolume else { return }
        guard free < configuration.storage.minimumFreeBytes else {
            _ = homesAtLimit.withLock { $0.removeValue(forKey: session.id) }
            return
        }
        do throws(SessionError) {
            let overdue = try await locks.withLockIfFree(session.id) { () async throws(SessionError) in
                try await growHome(session.id, workspace: session.workspace, sample: sample)
            }
            guard let report = overdue ?? nil else { return }
            _ = homesAtLimit.withLock { $0.removeValue(forKey: session.id) }
            _ = try await pauseByPolicy(
                workspace: session.workspace, id: session.id, event: "STORAGE_LIMIT_ENFORCED", report: report,
                reason: "paused for holding more than the compute environment's disk limit leaves it")
        } catch {
            logger.info("growing a home failed", metadata: ["session.id": "\(session.id)", "error": "\(error.message)"])
        }
    }

    /// Grows the home, or reports it at the limit; returns why the session is to be
    /// paused when its elastic home has held more than its share for the grace period.
    private func growHome(_ id: SessionID, workspace: WorkspaceID, sample: UtilizationSample) async throws(SessionError) -> String? {
        let session = try await store.session(id: id, workspace: workspace)
        guard session.state == .running, let handle = session.handle, case .new(let size) = session.spec.homeVolume else { return nil }
        let provider = try providers.provider(for: session.spec.computeEnvironment, in: workspace)
        guard growsHome(session.spec, provider: provider), let room = try await homeRoom(of: session) else { return nil }
        let policy = configuration.storage
        let free = sample.diskTotalBytes - sample.diskUsedBytes
        // As many steps as bring the free space to the minimum (at least one, as less is
        // free; more only when an elastic home holds more than its share).
        let steps = (policy.minimumFreeBytes - free + policy.stepBytes - 1) / policy.stepBytes
        let target = min(size + steps * policy.stepBytes, room.available)
        guard target > size else {
            return try await homeAtLimit(session, size: size, used: sample.diskUsedBytes, quota: room.quota, provider: provider)
        }
        _ = try await store.updateSession(id: id, workspace: workspace, diskQuota: room.quota) { $0.spec.homeVolume = .new(sizeBytes: target) }
        // An elastic home has no size to change: its share is the record.
        let resized = provider.capabilities.contains(.elasticHome)
            ? target : try await providerCall { try await provider.resizeHome(handle, toBytes: target) }
        if resized != target {
            _ = try await store.updateSession(id: id, workspace: workspace) { $0.spec.homeVolume = .new(sizeBytes: resized) }
        }
        _ = homesAtLimit.withLock { $0.removeValue(forKey: id) }
        _ = try await store.appendEvent(
            session: id, type: "STORAGE_GROWN",
            message: "the home grew from \(Self.size(size)) to \(Self.size(resized)): \(Self.size(max(0, free))) was free, less than "
                + "\(Self.size(policy.minimumFreeBytes))")
        logger.info("grew a home", metadata: ["session.id": "\(id)", "home.bytes": "\(resized)"])
        return nil
    }

    /// A home that cannot grow: the activity log says so once per size. On elastic
    /// storage a home that holds more than `size` starts the grace period (said once);
    /// returns the report of its pause once the period is over.
    private func homeAtLimit(
        _ session: Session, size: Int64, used: Int64, quota: DiskQuota, provider: any SessionProvider
    ) async throws(SessionError) -> String? {
        let elastic = provider.capabilities.contains(.elasticHome)
        let over = elastic && used > size
        let now = SessionStore.now()
        let graceSeconds = configuration.storage.elasticGrace.inSeconds
        let (reported, overSince) = homesAtLimit.withLock { homes in
            var entry = homes[session.id] ?? HomeAtLimit()
            entry.overSince = over ? entry.overSince ?? now : nil
            let reported = entry.reported.map { $0 == (size, over) } ?? false
            entry.reported = (size, over)
            homes[session.id] = entry
            return (reported, entry.overSince)
        }
        let limit = "compute environment '\(quota.computeEnvironment)' allows \(Self.size(quota.limitBytes)) for the workspace's sessions, and they use it"
        if let overSince, now - overSince >= graceSeconds {
            return "the home holds \(Self.size(used)), more than the \(Self.size(size)) it may hold, for longer than \(IdleMonitor.duration(graceSeconds)): "
                + "\(limit). Its storage is elastic, so writes do not fail; the gateway enforces the limit by pausing the session. "
                + "Resume it and delete files within \(IdleMonitor.duration(graceSeconds)), or delete other sessions"
        }
        guard !reported else { return nil }
        let message: String
        if over {
            message = "the home holds \(Self.size(used)), more than the \(Self.size(size)) it may hold: \(limit). Its storage is elastic, so "
                + "writes do not fail, but the session is paused if it still holds more in \(IdleMonitor.duration(graceSeconds)). "
                + "Delete files, or pause or delete other sessions"
        } else if elastic {
            message = "the home holds \(Self.size(used)) and cannot grow past \(Self.size(size)): \(limit). Its storage is elastic, so "
                + "writes do not fail, but a session that holds more than \(Self.size(size)) for \(IdleMonitor.duration(graceSeconds)) is paused. "
                + "Delete files, or pause or delete other sessions"
        } else {
            message = "the home has \(Self.size(size - used)) free and cannot grow past \(Self.size(size)): \(limit); "
                + "writes will fail with \"no space left on device\". Delete files, or pause or delete other sessions"
        }
        _ = try await store.appendEvent(session: session.id, type: "STORAGE_FULL", message: message)
        return nil
    }

    /// The disk limit of a session's compute environment, and how much of it the
    /// workspace's other sessions there leave for its home; nil when the environment is
    /// no longer configured.
    private func homeRoom(of session: Session) async throws(SessionError) -> (quota: DiskQuota, available: Int64)? {
        guard let environment = configuration.environment(session.spec.computeEnvironment, in: session.workspace)?.environment else {
            return nil
        }
        let quota = DiskQuota(environment)
        return (quota, try await store.storageAvailable(for: session.id, workspace: session.workspace, quota: quota))
    }

    /// Bytes for people: `2 GiB`, `512 MiB`.
    static func size(_ bytes: Int64) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 30 { return "\((Double(bytes) / Double(1 << 30) * 10).rounded() / 10) GiB" }
        return "\((bytes + (1 << 20) - 1) >> 20) MiB"
    }
}

extension SessionController {
    /// A home at the disk limit: what the activity log last said of it (its size, and
    /// whether it held more), and for an elastic home holding more than its size, since
    /// when (seconds since the epoch). Kept in memory: a restarted gateway says it again
    /// and starts the grace period again.
    struct HomeAtLimit: Sendable {
        var reported: (size: Int64, over: Bool)?
        var overSince: Double?
    }
}
