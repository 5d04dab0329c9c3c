import BackendStorage
import Foundation
import Glibc
import Logging
public import SessionSDK

extension SlurmProvider {
    /// Creates the session's home on the shared filesystem (new, an existing volume
    /// under `SHARED/volumes/<name>`, or a checkpoint unpacked for a clone), writes its
    /// state and environment, and submits its job. Returns PENDING.
    ///
    /// Idempotent on the session id: when the session exists, returns its status; a
    /// submission interrupted before its job id was recorded adopts the job by name.
    ///
    /// - Throws: `INVALID_ARGUMENT` for what Slurm or the backend cannot express (with
    ///   Slurm's own words for a refused job), `RESOURCE_EXHAUSTED` for a job over an
    ///   association or QOS limit, `NOT_FOUND` for a missing home volume, bucket,
    ///   directory or checkpoint, `UNAVAILABLE` when Slurm cannot be reached or cannot
    ///   take the job right now (its nodes are not available yet); the session's files
    ///   are then kept, and calling again submits the job.
    public func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        let id = request.sessionID.rawValue
        try SessionFiles.validateIdentifier(id, what: "session id")
        try validate(request)
        return try await sessionLocks.withLock(id) {
            let files = files(id)
            if var record = try SessionRecord.load(from: files.record) {
                if record.goal == .running, record.jobID == nil {
                    try await submit(&record, command: request, files: files)
                }
                return try await observe(id, snapshot: try await listing.snapshot())
            }
            try prepareSharedDirectories()
            let (home, ownsHome) = try homeVolumes.home(for: request, newHome: files.home)
            let mounts = try dataLinkMounts(for: request.dataLinks)
            let archive = try request.restoreFrom.map { checkpoint throws(SessionError) in try checkpointArchives.existing(checkpoint) }
            do {
                try FileManager.default.createDirectory(
                    atPath: files.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                if ownsHome {
                    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
                }
            } catch {
                throw SessionError(.internalError, "cannot create the session's directory \(files.directory) on the shared filesystem", cause: error)
            }
            var record = SessionRecord(
                sessionID: id, goal: .running, jobID: nil, submittedAt: nil, home: home, ownsHome: ownsHome, mounts: mounts,
                createdAt: Date().timeIntervalSince1970, basePath: Preset.basePath(in: request.environment), endedJob: nil,
                readinessFailure: nil)
            do {
                if let archive { try await checkpointArchives.unpack(archive, into: home) }
                try writeEnvironment(request, files: files)
                try record.save(to: files.record)
                try await submit(&record, command: request, files: files)
            } catch let error as SessionError where error.code != .unavailable {
                try? FileManager.default.removeItem(atPath: files.directory)
                throw error
            }
            logger.info(
                "created session",
                metadata: [
                    "session.id": "\(id)", "slurm.job": "\(record.jobID ?? 0)", "session.dataLinks": "\(mounts.count)",
                    "session.environment": "\(request.environment.keys.sorted().joined(separator: ","))",  // names only
                ])
            return try await observe(id, snapshot: try await listing.snapshot())
        }
    }

    /// Cancels the session's job (Slurm sends SIGTERM, then SIGKILL after the
    /// cluster's `KillWait`) and keeps the home. The gateway takes the final checkpoint
    /// before it calls this. Returns PAUSING until the job is over, then PAUSED.
    /// Idempotent.
    ///
    /// - Throws: `NOT_FOUND` when the session is gone, `UNAVAILABLE` when Slurm cannot
    ///   be reached (the session stays PAUSING; calling again finishes it).
    public func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        let id = try sessionID(in: handle)
        return try await sessionLocks.withLock(id) {
            let files = files(id)
            guard var record = try existingRecord(id, files) else {
                throw SessionError(.failedPrecondition, "session '\(id)' was never fully created; delete it")
            }
            if record.goal != .paused {
                record.goal = .paused
                try record.save(to: files.record)
                logger.info("pausing session", metadata: ["session.id": "\(id)", "slurm.job": "\(record.jobID ?? 0)"])
            }
            try await cancelJobs(of: id, current: record.jobID)
            return try await observe(id, snapshot: try await listing.snapshot())
        }
    }

    /// Submits a new job on the same home, with the request's (possibly edited)
    /// resources, environment and data-links. Idempotent: a session whose job is
    /// queued, starting or serving is left alone. A FAILED session is resubmitted.
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
            let files = files(id)
            guard var record = try existingRecord(id, files) else {
                throw SessionError(.failedPrecondition, "session '\(id)' was never fully created; delete it and create it again")
            }
            let current = try await observe(id, snapshot: try await listing.snapshot())
            if record.goal == .running, [.pending, .starting, .running].contains(current.state) { return current }
            try await cancelJobs(of: id, current: record.jobID)
            guard Self.isDirectory(record.home) else {
                throw SessionError(.notFound, "the home of session '\(id)' (\(record.home)) is gone; the session cannot resume")
            }
            record.mounts = try dataLinkMounts(for: request.dataLinks)
            record.basePath = Preset.basePath(in: request.environment)
            record.goal = .running
            try writeEnvironment(request, files: files)
            try record.save(to: files.record)
            let previous = record.jobID
            try await submit(&record, command: request, files: files, replacing: previous)
            logger.info("resumed session", metadata: ["session.id": "\(id)", "slurm.job": "\(record.jobID ?? 0)"])
            return try await observe(id, snapshot: try await listing.snapshot())
        }
    }

    /// Cancels every job of the session and removes its directory (home, state, logs).
    /// An existing home volume and the session's checkpoints are kept: the gateway
    /// deletes each checkpoint once no session references it. Idempotent.
    ///
    /// The directory is first renamed out of the way (atomically), so a cancelled job
    /// that is still ending cannot write into it by its path; what such a job still
    /// writes through its working directory is retried for a few seconds, and anything
    /// left is removed by the next ``listSessions()``.
    ///
    /// - Throws: `UNAVAILABLE` when Slurm cannot be reached (nothing is removed, so no
    ///   job is left without its files).
    public func deleteSession(_ handle: SessionHandle) async throws {
        guard let id = try? sessionID(in: handle) else { return }
        try await sessionLocks.withLock(id) {
            let files = files(id)
            let record = try? SessionRecord.load(from: files.record)
            try await cancelJobs(of: id, current: record?.jobID)
            guard Self.isDirectory(files.directory) else { return }
            let removed = "\(sessionsDirectory)/\(Self.removedPrefix)\(id)-\(UInt32.random(in: .min ... .max))"
            guard rename(files.directory, removed) == 0 else {
                throw SessionError(
                    .internalError, "cannot remove \(files.directory) (\(String(cString: strerror(errno)))); remove it by hand")
            }
            logger.info("deleted session", metadata: ["session.id": "\(id)"])
            await removeDeletedDirectory(removed)
        }
    }

    /// The prefix of a deleted session's directory until it is removed.
    static let removedPrefix = ".deleted-"

    /// Removes a deleted session's directory, retrying for a few seconds while its
    /// cancelled job still writes into it; leaves it to the next sweep otherwise.
    func removeDeletedDirectory(_ path: String, attempts: Int = 20) async {
        for attempt in 1...max(1, attempts) {
            do {
                try FileManager.default.removeItem(atPath: path)
                return
            } catch {
                guard Self.isDirectory(path) else { return }
                if attempt < attempts { try? await Task.sleep(for: .milliseconds(250)) }
            }
        }
        logger.info("a deleted session's directory is still in use; removing it later", metadata: ["session.directory": "\(path)"])
    }

    // MARK: Jobs

    /// Submits the session's job, or adopts a live job with its name that an
    /// interrupted submission left unrecorded, and records the job id.
    func submit(
        _ record: inout SessionRecord, command request: ProviderSessionRequest, files: SessionFiles, replacing old: Int? = nil
    ) async throws(SessionError) {
        let id = record.sessionID
        let name = jobName(id)
        let snapshot = try await listing.snapshot()
        let jobID: Int
        if let orphan = snapshot.jobs.values.first(where: { $0.name == name && !$0.isTerminal && $0.id != old && ownsJob($0) }) {
            jobID = orphan.id
            logger.info("adopted the session's unrecorded job", metadata: ["session.id": "\(id)", "slurm.job": "\(jobID)"])
        } else {
            var script = batchScript(id, files: files, record: record, command: request.command)
            script.agentExecutable = request.agentToken == nil ? nil : configuration.agentExecutable
            let memory = max(1, (request.resources.memoryBytes + (1 << 20) - 1) >> 20)
            let limit = request.durationLimit.map { max(1, Int(($0.seconds / 60).rounded(.up))) }
            let submission = JobSubmission(
                name: name, comment: jobComment(id),
                partition: request.computePool.isEmpty ? configuration.partition : request.computePool,
                cpus: max(1, (request.resources.cpuMillis + 999) / 1000), memoryMiB: memory, gpus: request.resources.gpus,
                timeLimitMinutes: limit, workingDirectory: files.directory, outputPath: files.logPattern,
                environment: configuration.baseEnvironment, script: script.text)
            jobID = try await client.submit(submission)
        }
        record.jobID = jobID
        // Taken once slurmctld has the job: a listing requested later must show it, one
        // requested earlier may not (see JobObservation.listingPredatesJob).
        record.submittedAt = Date().timeIntervalSince1970
        record.endedJob = nil
        record.readinessFailure = nil
        record.requeuedJob = nil
        try record.save(to: files.record)
        await listing.invalidate()
    }

    /// Cancels the session's current job and any other live job with its name.
    func cancelJobs(of id: String, current: Int?) async throws(SessionError) {
        let snapshot = try await listing.snapshot()
        var jobs = Set(snapshot.jobs.values.filter { $0.name == jobName(id) && !$0.isTerminal }.map(\.id))
        if let current, snapshot.jobs[current].map({ !$0.isTerminal }) ?? true { jobs.insert(current) }
        guard !jobs.isEmpty else { return }
        for job in jobs.sorted() {
            try await client.cancel(jobID: job)
        }
        await listing.invalidate()
    }

    /// The directories a session's command must not see.
    var hiddenDirectories: [String] {
        [sessionsDirectory, checkpointsDirectory, configuration.bucketsDirectory, configuration.sharedDirectory]
    }

    /// The batch script of a session that runs `command`.
    func batchScript(_ id: String, files: SessionFiles, record: SessionRecord, command: [String]) -> BatchScript {
        var script = BatchScript(
            sessionID: id, files: files, home: record.home, mounts: record.mounts, hiddenDirectories: hiddenDirectories,
            command: command)
        script.sandboxUser = (configuration.sandboxUserID, configuration.sandboxGroupID)
        script.bucketsDirectory = Self.resolvedPath(configuration.bucketsDirectory)
        return script
    }

    /// `path` with symbolic links resolved, or as it is when it cannot be resolved.
    static func resolvedPath(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    // MARK: Requests

    /// The record of a session that must exist.
    ///
    /// - Throws: `NOT_FOUND` when the session directory is gone.
    func existingRecord(_ id: String, _ files: SessionFiles) throws(SessionError) -> SessionRecord? {
        guard Self.isDirectory(files.directory) else {
            throw SessionError(.notFound, "the Slurm backend has no session '\(id)'")
        }
        return try SessionRecord.load(from: files.record)
    }

    /// Refuses what the Slurm backend cannot do.
    func validate(_ request: ProviderSessionRequest) throws(SessionError) {
        try request.validateForProcess()
        guard request.dataVolumes.isEmpty else {
            throw SessionError(.invalidArgument, "the Slurm backend does not mount data volumes; use data-links instead")
        }
        let pool = request.computePool
        guard pool.utf8.count <= 64, pool.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ",") }) else {
            throw SessionError(.invalidArgument, "compute pool '\(pool.prefix(64))' is not a Slurm partition name")
        }
    }

    /// Writes the command's variables (the base environment, then the request's, secrets
    /// included, and the agent's token) for the job to hand to the sandbox: NUL
    /// separated, mode 0600, on the shared filesystem only.
    private func writeEnvironment(_ request: ProviderSessionRequest, files: SessionFiles) throws(SessionError) {
        var bytes: [UInt8] = []
        var variables = configuration.baseEnvironment.merging(request.environment) { _, requested in requested }
        if let token = request.agentToken, configuration.agentExecutable != nil {
            variables[SessionAgentLaunch.tokenVariable] = token
        }
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
            bytes += Array("\(name)=\(value)".utf8) + [0]
        }
        try SessionFiles.write(Data(bytes), to: files.environment, mode: 0o600)
    }
}
