import BackendStorage
public import Logging
public import SessionSDK
import Foundation

/// The Slurm backend: every session is a batch job submitted through slurmrestd, with
/// its home directory on the cluster's shared filesystem.
///
/// The job asks for the request's CPUs (`cpus_per_task`), memory (`memory_per_node`),
/// GPUs (`gres=gpu:N`), partition (the compute pool) and walltime (the duration
/// limit), and runs the command in a private user and mount namespace with the home at
/// `/workspace` and data-links at `/workspace/data/<name>`, read-only ones locked
/// read-only (see ``BatchScript``). The job reports its host, port and access token
/// once the command serves; until then the session is STARTING, and when that takes
/// longer than the readiness timeout the session is FAILED and its job cancelled.
///
/// Every job is named `<jobNamePrefix>-<session id>` and carries the session id and
/// its owner (a digest of the shared directory; jobs of another owner are never
/// touched) in its
/// comment. All sessions share one job listing per poll interval, and every call to
/// slurmrestd is paced. Jobs no session owns are cancelled when sessions are listed.
///
/// The gateway host must mount the shared filesystem at the same path as the compute
/// nodes: homes are created, checkpointed (`tar`) and removed from there, and
/// ``execute(_:in:)`` runs commands there in the same namespace as the job.
///
/// ```swift
/// var configuration = SlurmProvider.Configuration(url: "http://slurm-head:6820", sharedDirectory: "/shared/sessiongw")
/// configuration.user = "sessions"
/// configuration.tokenFile = "/etc/sessiongw/slurm.jwt"
/// let provider = try SlurmProvider(configuration: configuration, logger: Logger(label: "sessiongw.slurm"))
/// ```
public final class SlurmProvider: SessionProvider {
    /// The configuration.
    public let configuration: Configuration
    /// `slurm`.
    public let identity = ProviderIdentity(name: "slurm", version: "1.0.0")
    /// Pause and resume, checkpoints, clones, data-links, GPUs, executing commands, and
    /// terminals when it has the session agent's executable.
    public var capabilities: Set<ProviderCapability> {
        let base: Set<ProviderCapability> = [.pauseResume, .checkpoints, .clone, .dataLinks, .gpus, .execute]
        return configuration.agentExecutable == nil ? base : base.union([.terminals])
    }

    let logger: Logger
    let client: SlurmRESTClient
    let listing: JobListing
    let sessionLocks = KeyedLock<String>()
    /// The checkpoints' archives under `SHARED/checkpoints`.
    let checkpointArchives: CheckpointArchives
    /// Existing home volumes under `SHARED/volumes`.
    let homeVolumes: HomeVolumes

    /// Creates a provider; it calls nothing until it is called.
    ///
    /// - Throws: `INVALID_ARGUMENT` for a configuration it cannot use.
    public init(configuration: Configuration, logger: Logger) throws(SessionError) {
        try configuration.validate()
        var configuration = configuration
        configuration.sharedDirectory = URL(fileURLWithPath: configuration.sharedDirectory).standardizedFileURL.path
        configuration.bucketsDirectory = URL(fileURLWithPath: configuration.bucketsDirectory).standardizedFileURL.path
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "backend.kind"] = "slurm"
        self.logger = logger
        let client = SlurmRESTClient(
            transport: HTTPTransport(target: try configuration.target(), timeout: configuration.requestTimeout),
            adapter: try SlurmRESTAdapters.adapter(for: configuration.apiVersion), credentials: configuration.credentials,
            pacer: RequestPacer(spacing: configuration.requestSpacing), logger: logger)
        self.client = client
        let environment = configuration.baseEnvironment
        self.checkpointArchives = CheckpointArchives(
            directory: "\(configuration.sharedDirectory)/checkpoints", backend: "Slurm", logger: logger
        ) { arguments async throws(SessionError) -> ExecutionResult in
            try await LocalCommand.run("/bin/tar", arguments, environment: environment, timeout: nil)
        }
        self.homeVolumes = HomeVolumes(directory: "\(configuration.sharedDirectory)/volumes", backend: "Slurm")
        self.listing = JobListing(maximumAge: configuration.pollInterval) { () async throws(SessionError) in
            try await client.listJobs()
        }
    }

    /// Ready when slurmrestd answers, a slurmctld is up, and the shared directory is
    /// writable. Throws `UNAVAILABLE` when slurmrestd cannot be reached.
    public func probe() async throws -> ProviderReadiness {
        let up = try await client.ping()
        guard up else {
            return ProviderReadiness(ready: false, message: "slurmrestd answers but no slurmctld is UP")
        }
        do {
            try prepareSharedDirectories()
        } catch {
            return ProviderReadiness(ready: false, message: error.message)
        }
        return ProviderReadiness(
            ready: true, message: "Slurm through slurmrestd \(configuration.apiVersion) at \(configuration.url); sessions under \(configuration.sharedDirectory)")
    }

    /// The session's state from its record, the shared job listing and what its job
    /// reported.
    ///
    /// - Throws: `NOT_FOUND` when the session's directory is gone, `UNAVAILABLE` when
    ///   Slurm cannot be reached.
    public func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        let id = try sessionID(in: handle)
        return try await observe(id, snapshot: try await listing.snapshot())
    }

    /// Every session with a directory under the shared directory, described from one
    /// job listing. Jobs carrying this backend's name prefix that no session owns
    /// (their session is gone, or they are not its current job) are cancelled, and
    /// directories of deleted sessions that could not be removed at once are removed.
    public func listSessions() async throws -> [ProviderSessionStatus] {
        let snapshot = try await listing.snapshot()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sessionsDirectory)) ?? []
        for name in names where name.hasPrefix(Self.removedPrefix) {
            await removeDeletedDirectory("\(sessionsDirectory)/\(name)", attempts: 1)
        }
        let ids = names.sorted().filter { (try? SessionFiles.validateIdentifier($0, what: "session id")) != nil }
        var statuses: [ProviderSessionStatus] = []
        var owned: Set<Int> = []
        for id in ids {
            guard let status = try? await observe(id, snapshot: snapshot) else { continue }
            statuses.append(status)
            if let job = try? SessionRecord.load(from: files(id).record)?.jobID { owned.insert(job) }
        }
        for job in snapshot.jobs.values where !job.isTerminal && !owned.contains(job.id) && ownsJob(job) {
            guard let id = sessionID(ofJobNamed: job.name) else { continue }
            guard !sessionLocks.isHeld(id) else { continue }  // a create may be recording it right now
            // Re-read: a submission may have recorded it after the loop above.
            if let record = try? SessionRecord.load(from: files(id).record), record.jobID == job.id || record.jobID == nil { continue }
            logger.info("cancelling a job no session owns", metadata: ["session.id": "\(id)", "slurm.job": "\(job.id)"])
            try? await client.cancel(jobID: job.id)
            await listing.invalidate()
        }
        return statuses
    }

    /// Describes the session from its handle: the job and the files live on in Slurm
    /// and on the shared filesystem, so nothing needs restarting.
    ///
    /// - Throws: `NOT_FOUND` when nothing of the session is left.
    public func recoverSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        let status = try await describeSession(handle)
        logger.info("recovered session", metadata: ["session.id": "\(status.sessionID)", "session.state": "\(status.state)"])
        return status
    }

    // MARK: Shared helpers

    var sessionsDirectory: String { "\(configuration.sharedDirectory)/sessions" }
    var checkpointsDirectory: String { checkpointArchives.directory }

    func files(_ id: String) -> SessionFiles { SessionFiles(directory: "\(sessionsDirectory)/\(id)") }

    /// The job name of a session.
    func jobName(_ id: String) -> String { "\(configuration.jobNamePrefix)-\(id)" }

    /// What this backend's jobs carry in their comment as `owner=`: a digest of its
    /// shared directory, so that two compute environments (or gateways) whose job
    /// names look alike never take or cancel each other's jobs.
    public var jobOwner: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in configuration.sharedDirectory.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The comment of a session's job.
    func jobComment(_ id: String) -> String { "sessiongw session=\(id) owner=\(jobOwner)" }

    /// Whether a job was submitted by this backend (its comment names this owner).
    func ownsJob(_ job: SlurmJob) -> Bool {
        job.comment.split(separator: " ").contains { $0 == "owner=\(jobOwner)" }
    }

    /// The session a job of this backend belongs to, from its name.
    func sessionID(ofJobNamed name: String) -> String? {
        let prefix = configuration.jobNamePrefix + "-"
        guard name.hasPrefix(prefix) else { return nil }
        let id = String(name.dropFirst(prefix.count))
        return (try? SessionFiles.validateIdentifier(id, what: "session id")) == nil ? nil : id
    }

    /// The session id a handle encodes (the handle is the id).
    ///
    /// - Throws: `NOT_FOUND` for a handle this provider cannot have made.
    func sessionID(in handle: SessionHandle) throws(SessionError) -> String {
        guard (try? SessionFiles.validateIdentifier(handle.rawValue, what: "handle")) != nil else {
            throw SessionError(.notFound, "no Slurm session has the handle '\(handle.rawValue.prefix(200))'")
        }
        return handle.rawValue
    }

    /// The status of one session from a listing.
    ///
    /// - Throws: `NOT_FOUND` when its directory is gone.
    func observe(_ id: String, snapshot: JobListing.Snapshot) async throws(SessionError) -> ProviderSessionStatus {
        let handle = SessionHandle(rawValue: id)
        let files = files(id)
        guard Self.isDirectory(files.directory) else {
            throw SessionError(.notFound, "the Slurm backend has no session '\(id)' (its directory \(files.directory) is gone)")
        }
        let busy = sessionLocks.isHeld(id)
        guard var record = try SessionRecord.load(from: files.record) else {
            return ProviderSessionStatus(
                sessionID: SessionID(rawValue: id), handle: handle, state: busy ? .pending : .failed,
                reason: busy ? "creating the session" : "the session's creation was interrupted before it was recorded; delete the session")
        }
        let job = record.jobID.flatMap { snapshot.jobs[$0] }
        let exitStatus = record.jobID.flatMap { jobID in
            (try? String(contentsOfFile: files.exitStatus(job: jobID), encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        var observation = JobObservation(
            record: record, job: job,
            listingPredatesJob: record.submittedAt.map { snapshot.requestedAt < $0 } ?? false, busy: busy,
            connection: record.jobID.flatMap { ReportedConnection.load(from: files.connection(job: $0)) },
            exitStatus: exitStatus, logTail: "", logPath: record.jobID.map(files.log(job:)) ?? files.directory,
            now: Date().timeIntervalSince1970, walltimeWarning: configuration.walltimeWarning.seconds,
            readinessTimeout: configuration.readinessTimeout.seconds)
        if observation.status(handle: handle).state == .failed, let jobID = record.jobID {
            observation.logTail = SessionFiles.tail(files.log(job: jobID), lines: configuration.failureLogLines)
        }
        let ended = job.map { $0.isTerminal && record.endedJob?.jobID != $0.id } ?? false
        let requeuedOn = observation.jobWasRequeued
            ? (observation.connection.flatMap { $0.job == job?.id ? $0.host : nil } ?? "") : nil
        if let job, !busy, ended || observation.jobMissedReadiness || requeuedOn != nil,
           let settled = await settle(id, job: job, missedReadiness: observation.jobMissedReadiness, requeuedOn: requeuedOn) {
            record = settled
            observation.record = settled
        }
        let status = observation.status(handle: handle)
        if status.reason.contains("warning:"), let left = status.timeLeft {
            logger.info("session near its walltime", metadata: ["session.id": "\(id)", "session.timeLeft": "\(left)"])
        }
        return status
    }

    /// Records what a listing showed of the session's current job, when no operation
    /// holds the session: the final facts of a job that is over (for when slurmctld has
    /// forgotten it), that its command missed the readiness timeout, or that Slurm
    /// requeued it (on `requeuedOn`, the host it served on, or ""); in the last two cases
    /// the job is cancelled. Returns the updated record, or nil when nothing changed.
    private func settle(_ id: String, job: SlurmJob, missedReadiness: Bool, requeuedOn: String?) async -> SessionRecord? {
        let cancel = missedReadiness || requeuedOn != nil
        let files = files(id)
        return await sessionLocks.withLockIfFree(id) { () async -> SessionRecord? in
            // Re-read under the lock: an operation may have submitted another job.
            guard var record = try? SessionRecord.load(from: files.record), record.jobID == job.id else { return nil }
            if job.isTerminal, record.endedJob?.jobID != job.id {
                record.endedJob = .init(jobID: job.id, state: job.state, reason: job.reason, waitStatus: job.waitStatus, nodes: job.nodes)
            }
            if let node = requeuedOn, record.requeuedJob?.jobID != job.id {
                record.requeuedJob = .init(jobID: job.id, node: node, detectedAt: Date().timeIntervalSince1970)
                logger.info(
                    "Slurm requeued the session's job (its node failed); cancelling it",
                    metadata: ["session.id": "\(id)", "slurm.job": "\(job.id)", "slurm.node": "\(node)"])
            }
            if missedReadiness, record.requeuedJob?.jobID != job.id, record.readinessFailure?.jobID != job.id {
                record.readinessFailure = .init(jobID: job.id, detectedAt: Date().timeIntervalSince1970)
                logger.info(
                    "the session's command did not serve in time; cancelling its job",
                    metadata: ["session.id": "\(id)", "slurm.job": "\(job.id)", "session.readinessTimeout": "\(configuration.readinessTimeout)"])
            }
            guard (try? record.save(to: files.record)) != nil else { return nil }
            if cancel {
                // Retried on the next describe while the job still runs.
                try? await client.cancel(jobID: job.id)
                await listing.invalidate()
            }
            return record
        } ?? nil
    }

    /// Creates the shared directories when missing.
    ///
    /// - Throws: `FAILED_PRECONDITION` when they cannot be created.
    func prepareSharedDirectories() throws(SessionError) {
        for directory in [sessionsDirectory, checkpointsDirectory] {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
            } catch {
                throw SessionError(
                    .failedPrecondition,
                    "the Slurm backend cannot create \(directory); mount the cluster's shared filesystem on the gateway host and make sharedDirectory writable",
                    cause: error)
            }
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

extension Duration {
    /// The duration in seconds, with fractions.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
