internal import Logging
internal import SessionSDK
internal import Synchronization

extension SessionController {
    /// Whether the gateway sizes the homes of sessions of `spec` on `provider`: growing
    /// homes are on, the provider makes homes filesystems of their own, and the home is
    /// a new one (an existing volume keeps its size).
    func growsHome(_ spec: SessionSpec, provider: any SessionProvider) -> Bool {
        guard configuration.storage.autoResize, provider.capabilities.contains(.growingHome) else { return false }
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

    /// After a running session's sample: grows its home by a step when less than the
    /// minimum is free, as far as the compute environment's disk limit leaves room; at
    /// the limit, the activity log says once that writes will fail with "no space".
    /// Skipped while an API call works on the session.
    func growHomeIfFilling(_ session: Session, sample: UtilizationSample) async {
        let policy = configuration.storage
        guard sample.diskTotalBytes > 0, sample.diskTotalBytes - sample.diskUsedBytes < policy.minimumFreeBytes,
              case .new = session.spec.homeVolume
        else { return }
        do throws(SessionError) {
            _ = try await locks.withLockIfFree(session.id) { () async throws(SessionError) in
                try await growHome(session.id, workspace: session.workspace, sample: sample)
            }
        } catch {
            logger.info("growing a home failed", metadata: ["session.id": "\(session.id)", "error": "\(error.message)"])
        }
    }

    private func growHome(_ id: SessionID, workspace: WorkspaceID, sample: UtilizationSample) async throws(SessionError) {
        let session = try await store.session(id: id, workspace: workspace)
        guard session.state == .running, let handle = session.handle, case .new(let size) = session.spec.homeVolume else { return }
        let provider = try providers.provider(for: session.spec.computeEnvironment, in: workspace)
        guard growsHome(session.spec, provider: provider), let room = try await homeRoom(of: session) else { return }
        let target = min(size + configuration.storage.stepBytes, room.available)
        let free = sample.diskTotalBytes - sample.diskUsedBytes
        guard target > size else {
            guard fullHomes.withLock({ $0.updateValue(size, forKey: id) != size }) else { return }
            _ = try await store.appendEvent(
                session: id, type: "STORAGE_FULL",
                message: "the home has \(Self.size(free)) free and cannot grow past \(Self.size(size)): compute environment "
                    + "'\(room.quota.computeEnvironment)' allows \(Self.size(room.quota.limitBytes)) for the workspace's sessions, and they use it; "
                    + "writes will fail with \"no space left on device\". Delete files, or pause or delete other sessions")
            return
        }
        _ = try await store.updateSession(id: id, workspace: workspace, diskQuota: room.quota) { $0.spec.homeVolume = .new(sizeBytes: target) }
        let resized = try await providerCall { try await provider.resizeHome(handle, toBytes: target) }
        if resized != target {
            _ = try await store.updateSession(id: id, workspace: workspace) { $0.spec.homeVolume = .new(sizeBytes: resized) }
        }
        _ = fullHomes.withLock { $0.removeValue(forKey: id) }
        _ = try await store.appendEvent(
            session: id, type: "STORAGE_GROWN",
            message: "the home grew from \(Self.size(size)) to \(Self.size(resized)): \(Self.size(free)) was free, less than "
                + "\(Self.size(configuration.storage.minimumFreeBytes))")
        logger.info("grew a home", metadata: ["session.id": "\(id)", "home.bytes": "\(resized)"])
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
