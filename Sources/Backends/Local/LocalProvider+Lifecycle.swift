import BackendStorage
import Logging
public import SessionSDK
import Foundation
import Glibc
import Synchronization

extension LocalProvider {
    /// Creates the session's home (a new directory, an existing volume under
    /// `ROOT/volumes/<name>`, or for a clone the checkpoint's archive unpacked), picks
    /// a free port and a random token, and starts the command. Returns STARTING.
    ///
    /// Idempotent on the session id: when the session exists, returns its status.
    ///
    /// - Throws: `INVALID_ARGUMENT` for ids, mount paths or variables the backend
    ///   cannot use, GPUs or data volumes; `NOT_FOUND` for a missing bucket, directory,
    ///   home volume or checkpoint archive; `FAILED_PRECONDITION` when the machine
    ///   lacks what sessions need.
    public func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        let id = request.sessionID.rawValue
        try StorageLayout.validateIdentifier(id, what: "session id")
        try validate(request)
        return try await sessionLocks.withLock(id) {
            let paths = layout.session(id)
            if var record = try loadRecord(paths) {
                if record.goal == .running, leader(of: record, paths) == nil {
                    try checkMachine()
                    try await launch(&record, for: request, paths: paths)
                }
                return try observe(id)
            }
            try checkMachine()
            let (home, ownsHome) = try homeVolumes.home(for: request, newHome: paths.home)
            let mounts = try dataLinkSources.bindMounts(for: request.dataLinks)
            let archive = try request.restoreFrom.map { checkpoint throws(SessionError) in try checkpointArchives.existing(checkpoint) }

            let created = !Self.isDirectory(paths.directory)
            do {
                try FileManager.default.createDirectory(
                    atPath: paths.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                if ownsHome {
                    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
                }
            } catch {
                throw SessionError(.internalError, "cannot create the session directory \(paths.directory)", cause: error)
            }
            do {
                // A growing home: its own filesystem; for a clone first as big as the
                // disk allows (sparse: it costs what is written), then cut to what the
                // checkpoint's files hold and the size asked for.
                let image = ownsHome ? homeImageTools.map { homeImage(paths, tools: $0) } : nil
                let size: Int64 = if case .new(let bytes) = request.homeVolume { bytes } else { HomeImage.minimumBytes }
                if let image { try await image.create(sizeBytes: archive == nil ? size : max(size, HomeImage.spaceFor(paths.directory))) }
                if let archive { try await checkpointArchives.unpack(archive, into: home) }
                if let image, archive != nil { _ = try await image.resize(to: (image.usage?.used ?? 0) + size) }
                let now = Date().timeIntervalSince1970
                var record = SessionRecord(
                    sessionID: id, goal: .running, home: home, ownsHome: ownsHome, port: 0, token: Self.newToken(),
                    createdAt: now, startedAt: now, durationLimitSeconds: request.durationLimit?.inSeconds, mounts: mounts)
                if image != nil { record.growingHome = true }
                if !request.packages.isEmpty {
                    record.packages = request.packages
                    record.environmentKey = EnvironmentCacheKey.of(image: request.image, packages: request.packages)
                }
                try await launch(&record, for: request, paths: paths)
            } catch {
                if created { try? await removeSession(id, paths) }
                throw error
            }
            return try observe(id)
        }
    }

    /// Stops the session's processes (SIGTERM, the grace period, then SIGKILL) and
    /// keeps its home. The gateway takes the pause checkpoint before calling this.
    /// Idempotent: pausing a paused session does nothing.
    ///
    /// - Throws: `NOT_FOUND` when the session is gone.
    public func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        let id = try sessionID(in: handle)
        return try await sessionLocks.withLock(id) {
            let paths = layout.session(id)
            guard var record = try existingRecord(id, paths) else {
                await stopProcesses(of: nil, paths, grace: configuration.gracePeriod)
                return try observe(id)
            }
            if record.goal != .paused {
                record.goal = .paused
                try record.save(to: paths.state)
                logger.info("pausing session", metadata: ["session.id": "\(id)"])
            }
            if await stopProcesses(of: record, paths, grace: configuration.gracePeriod), record.pid != nil {
                // Forget the stopped processes, so describing a paused session reads no /proc.
                record.pid = nil
                record.pidStartTicks = nil
                try record.save(to: paths.state)
                unlink(paths.pid)
            }
            releasePorts(of: record)
            return try observe(id)
        }
    }

    /// Starts the command again on the same home, on a new port, with the request's
    /// (possibly edited) environment and data-links. Idempotent: resuming a running
    /// or starting session does nothing. A FAILED session is restarted.
    ///
    /// - Throws: `NOT_FOUND` when the session or its home is gone, and what
    ///   ``createSession(_:)`` throws for the request.
    public func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        let id = try sessionID(in: handle)
        guard request.sessionID.rawValue == id else {
            throw SessionError(.invalidArgument, "the request is for session '\(request.sessionID)', the handle for '\(id)'")
        }
        try validate(request)
        return try await sessionLocks.withLock(id) {
            let paths = layout.session(id)
            guard var record = try existingRecord(id, paths) else {
                throw SessionError(.failedPrecondition, "session '\(id)' was never fully created; delete it and create it again")
            }
            let current = try observe(id)
            if record.goal == .running, [.pending, .building, .starting, .running].contains(current.state) {
                return current
            }
            await stopProcesses(of: record, paths, grace: configuration.gracePeriod)
            try checkMachine()
            guard Self.isDirectory(record.home) else {
                throw SessionError(.notFound, "the home of session '\(id)' (\(record.home)) is gone; the session cannot resume")
            }
            if let image = homeImage(of: record), case .new(let size) = request.homeVolume {
                _ = try await image.resize(to: size)
            }
            record.mounts = try dataLinkSources.bindMounts(for: request.dataLinks)
            record.durationLimitSeconds = request.durationLimit?.inSeconds
            releasePorts(of: record)
            try await launch(&record, for: request, paths: paths)
            return try observe(id)
        }
    }

    /// Kills the session's processes and removes its directory (home, state, log). An
    /// existing home volume and the session's checkpoints are kept; the gateway
    /// deletes checkpoints once no session references them. Idempotent: an unknown
    /// handle succeeds.
    public func deleteSession(_ handle: SessionHandle) async throws {
        guard let id = try? sessionID(in: handle) else { return }
        try await sessionLocks.withLock(id) {
            let paths = layout.session(id)
            guard Self.isDirectory(paths.directory) else { return }
            try await removeSession(id, paths)
            logger.info("deleted session", metadata: ["session.id": "\(id)"])
        }
    }

    // MARK: Requests

    /// The record of a session that must exist.
    ///
    /// - Throws: `NOT_FOUND` when the session directory is gone.
    func existingRecord(_ id: String, _ paths: SessionPaths) throws(SessionError) -> SessionRecord? {
        guard Self.isDirectory(paths.directory) else {
            throw SessionError(.notFound, "the Local backend has no session '\(id)'")
        }
        return try loadRecord(paths)
    }

    /// Refuses what the Local backend cannot do.
    func validate(_ request: ProviderSessionRequest) throws(SessionError) {
        try request.validateForProcess()
        guard request.resources.gpus == 0 else {
            throw SessionError(.invalidArgument, "the Local backend has no GPUs; request 0 GPUs or use another compute environment")
        }
        guard request.dataVolumes.isEmpty else {
            throw SessionError(.invalidArgument, "the Local backend does not mount data volumes; use data-links instead")
        }
        // Sessions share the machine, so the quota of any one is the machine itself.
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        let memory = ProcessInfo.processInfo.physicalMemory
        guard request.resources.cpuMillis <= cpus * 1000, UInt64(request.resources.memoryBytes) <= memory else {
            throw SessionError(
                .resourceExhausted,
                "this machine has \(cpus) CPUs and \(memory >> 20) MiB of memory; a session of \(request.resources) cannot fit. Ask for less")
        }
    }

    /// Kills the session's processes, unmounts a growing home, and removes the session's
    /// directory and an unfinished environment build: for a delete, and for what a failed
    /// create started.
    ///
    /// - Throws: `INTERNAL` when the directory cannot be removed.
    private func removeSession(_ id: String, _ paths: SessionPaths) async throws(SessionError) {
        let record = try? loadRecord(paths)
        await stopProcesses(of: record, paths, grace: .zero)
        if let tools = homeImageTools { await homeImage(paths, tools: tools).unmount() }
        try? FileManager.default.removeItem(atPath: layout.environmentBuild(session: id))
        defer { if let record { releasePorts(of: record) } }
        do {
            try FileManager.default.removeItem(atPath: paths.directory)
        } catch {
            throw SessionError(.internalError, "cannot remove \(paths.directory); remove it by hand", cause: error)
        }
    }
}
