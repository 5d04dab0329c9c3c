import Synchronization
import Foundation
import Logging
public import SessionSDK

extension AWSBatchProvider {
    // MARK: Create

    /// Creates the session's access point (or adopts an existing one given as the home
    /// volume) and submits attempt 1 of its job, unless ListJobs shows the session has
    /// a job already, so a retried create starts nothing new.
    ///
    /// - Throws: `INVALID_ARGUMENT` for an empty command, negative resources, a data-link
    ///   mount outside `/workspace/data/<name>` or twice on one path, a `file://` link;
    ///   `RESOURCE_EXHAUSTED` above `maxVCPUs`/`maxMemoryMiB`; `NOT_FOUND` for a missing
    ///   home access point or clone checkpoint; `UNAVAILABLE` when AWS cannot be reached.
    public func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        try validate(request)
        return try await locks.withLock(request.sessionID) {
            let names = SessionNames(sessionID: request.sessionID)
            let queue = queue(for: request)
            if let latest = try await sessionJobs(names, queue: queue).last {
                let accessPoint = try await accessPointOfJob(latest.summary)
                return try await observe(BatchHandle(sessionID: request.sessionID, accessPointID: accessPoint, queue: queue))
            }
            if let checkpoint = request.restoreFrom {
                let key = try checkpointKey(fromLocation: checkpoint.location)
                guard try await s3.objectSize(key) != nil else {
                    throw SessionError(.notFound, "checkpoint '\(checkpoint.name)' (\(checkpoint.id)) has no data at \(checkpoint.location); it was deleted or never taken")
                }
            }
            let accessPoint: String
            switch request.homeVolume {
            case .existing(let name):
                guard let found = try await efs.accessPoint(name), found["FileSystemId"].string == configuration.fileSystemID else {
                    throw SessionError(.notFound, "home volume '\(name)' is not an access point of EFS file system \(configuration.fileSystemID)")
                }
                accessPoint = name
            case .new:
                if let owned = try await ownedAccessPoint(of: request.sessionID), let id = owned["AccessPointId"].string {
                    accessPoint = id
                } else {
                    accessPoint = try await createAccessPoint(for: request.sessionID, queue: queue)
                }
            }
            let handle = BatchHandle(sessionID: request.sessionID, accessPointID: accessPoint, queue: queue)
            if let checkpoint = request.restoreFrom {
                try await recordReference(to: try checkpointKey(fromLocation: checkpoint.location), from: request.sessionID)
            }
            try await submitSessionJob(request, handle: handle, attempt: 1)
            return try await observe(handle)
        }
    }

    /// Refuses what the backend cannot express, before any call.
    func validate(_ request: ProviderSessionRequest) throws(SessionError) {
        guard !request.command.isEmpty, !request.command.joined().contains("\0") else {
            throw SessionError(.invalidArgument, "the session's command is empty or contains a NUL character")
        }
        guard request.resources.cpuMillis >= 0 else {
            throw SessionError(.invalidArgument, "resources.cpuMillis is \(request.resources.cpuMillis); it must not be negative")
        }
        guard request.resources.memoryBytes >= 0 else {
            throw SessionError(.invalidArgument, "resources.memoryBytes is \(request.resources.memoryBytes); it must not be negative")
        }
        guard request.resources.gpus >= 0 else {
            throw SessionError(.invalidArgument, "resources.gpus is \(request.resources.gpus); it must not be negative")
        }
        if request.resources.cpuMillis > configuration.maxVCPUs * 1000 {
            throw SessionError(
                .resourceExhausted, "the session asks for \(request.resources.cpuMillis / 1000) vCPUs; sessions on this environment may have at most \(configuration.maxVCPUs)")
        }
        if request.resources.memoryBytes >> 20 > configuration.maxMemoryMiB {
            throw SessionError(
                .resourceExhausted, "the session asks for \(request.resources.memoryBytes >> 20) MiB; sessions on this environment may have at most \(configuration.maxMemoryMiB) MiB")
        }
        for name in request.secretNames.sorted() where request.environment[name] != nil {
            // `valueFrom` is `<secret ARN>:<name>::`; Batch could not tell such a name from the ARN's fields.
            guard !name.isEmpty, !name.contains(":") else {
                throw SessionError(.invalidArgument, "secret variable '\(name.prefix(100))' cannot be passed to AWS Batch: its name is empty or contains ':'")
            }
        }
        var paths: Set<String> = []
        for link in request.dataLinks {
            let expected = DataLinkRules.mountPath(forName: link.dataLink.name)
            let name = link.mountPath.dropFirst(DataLinkRules.mountRoot.count + 1)
            guard link.mountPath == expected || (link.mountPath.hasPrefix(DataLinkRules.mountRoot + "/") && !name.isEmpty
                && !name.contains("/") && (try? DataLinkRules.normalizeName(String(name))) == String(name)) else {
                throw SessionError(.invalidArgument, "data-link '\(link.dataLink.id)' must be mounted at \(DataLinkRules.mountRoot)/<name>, not '\(DataLinkRules.printable(link.mountPath))'")
            }
            guard paths.insert(link.mountPath).inserted else {
                throw SessionError(.invalidArgument, "two data-links are mounted at \(link.mountPath)")
            }
            if link.dataLink.location.scheme == .file {
                throw SessionError(.invalidArgument, "data-link '\(link.dataLink.id)' is a file:// path, which AWS Batch sessions cannot mount; use s3:// or efs://")
            }
        }
    }

    /// The home access point of a job, from its volumes.
    func accessPointOfJob(_ summary: JSONValue) async throws -> String? {
        guard let id = summary["jobId"].string, let job = try await batch.describeJobs([id]).first else { return nil }
        let volumes = job["container"]["volumes"].array
        return volumes.first { $0["name"].string == "home" }?["efsVolumeConfiguration"]["authorizationConfig"]["accessPointId"].string
    }

    // MARK: Pause, resume, delete

    /// Terminates the session's job with the pause reason, which Batch keeps on the
    /// job: that is how the backend knows the session is PAUSED and not FAILED. The
    /// gateway takes the final checkpoint (``createCheckpoint(_:checkpoint:)``) first.
    ///
    /// - Throws: `NOT_FOUND` when the session was deleted.
    public func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        let parsed = try BatchHandle(handle)
        return try await locks.withLock(parsed.sessionID) {
            try await requireAccessPoint(parsed)
            let names = SessionNames(sessionID: parsed.sessionID)
            if let latest = try await sessionJobs(names, queue: parsed.queue).last, JobObservation.isActive(latest.summary["status"].string),
               let id = latest.summary["jobId"].string {
                if !(latest.summary["statusReason"].string ?? "").hasPrefix(JobObservation.pauseReason) {
                    try await batch.terminateJob(id, reason: JobObservation.pauseReason)
                    logger.info("session job terminated for pause", metadata: ["session.id": "\(parsed.sessionID)", "aws.job": "\(id)"])
                }
                _ = pausing.withLock { $0.insert(parsed.sessionID) }
            }
            return try await observe(parsed)
        }
    }

    /// Submits the next attempt with the same access point, unless a job is active.
    ///
    /// - Throws: `NOT_FOUND` when the session was deleted.
    public func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        let parsed = try BatchHandle(handle)
        try validate(request)
        return try await locks.withLock(parsed.sessionID) {
            try await requireAccessPoint(parsed)
            let names = SessionNames(sessionID: parsed.sessionID)
            var jobs = try await sessionJobs(names, queue: parsed.queue)
            if let latest = jobs.last, JobObservation.isActive(latest.summary["status"].string) {
                let reason = latest.summary["statusReason"].string ?? ""
                guard reason.hasPrefix(JobObservation.pauseReason), let id = latest.summary["jobId"].string else {
                    return try await observe(parsed)
                }
                _ = try await waitForJob(id, timeout: .seconds(60))
                jobs = try await sessionJobs(names, queue: parsed.queue)
            }
            var resumed = request
            resumed.sessionID = parsed.sessionID
            _ = pausing.withLock { $0.remove(parsed.sessionID) }
            try await submitSessionJob(resumed, handle: parsed, attempt: (jobs.last?.attempt ?? 0) + 1)
            return try await observe(parsed)
        }
    }

    /// Terminates every job of the session, waits for them to stop, deletes its secret
    /// variables' Secrets Manager secret (before the access point, so that a delete cut
    /// short is found again by ``listSessions()`` and finished), the access point (when
    /// this backend made it) and the session's objects in S3, keeping checkpoints other
    /// sessions were cloned from. An unknown handle succeeds.
    public func deleteSession(_ handle: SessionHandle) async throws {
        guard let parsed = try? BatchHandle(handle) else { return }
        try await locks.withLock(parsed.sessionID) {
            let names = SessionNames(sessionID: parsed.sessionID)
            let active = try await activeJobs(names, queue: parsed.queue)
            for job in active {
                if let id = job["jobId"].string { try await batch.terminateJob(id, reason: JobObservation.deleteReason) }
            }
            for job in active {
                if let id = job["jobId"].string { _ = try await waitForJob(id, timeout: .seconds(60)) }
            }
            try await deleteSecret(of: parsed.sessionID)
            if let accessPoint = parsed.accessPointID, let found = try await efs.accessPoint(accessPoint) {
                let tags = Self.efsTags(found)
                if tags["sessiongw:owner"] == configuration.owner && tags["sessiongw:session"] == parsed.sessionID.rawValue {
                    try await efs.deleteAccessPoint(accessPoint)
                }
            }
            try await deleteObjects(of: parsed.sessionID)
            _ = pausing.withLock { $0.remove(parsed.sessionID) }
            logger.info("session deleted", metadata: ["session.id": "\(parsed.sessionID)", "aws.jobs.terminated": "\(active.count)"])
        }
    }

    /// `NOT_FOUND` unless the session's access point exists (an orphan handle: unless
    /// it has active jobs).
    func requireAccessPoint(_ handle: BatchHandle) async throws {
        if let accessPoint = handle.accessPointID {
            guard try await efs.accessPoint(accessPoint) != nil else {
                throw SessionError(.notFound, "session '\(handle.sessionID)' no longer exists: its EFS access point \(accessPoint) is gone")
            }
        } else if try await activeJobs(SessionNames(sessionID: handle.sessionID), queue: handle.queue).isEmpty {
            throw SessionError(.notFound, "session '\(handle.sessionID)' has no access point and no running job")
        }
    }

    // MARK: Describe, list, recover

    /// The session's state from its latest job (see ``JobObservation``).
    ///
    /// - Throws: `NOT_FOUND` when the session was deleted.
    public func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try await observe(try BatchHandle(handle))
    }

    /// Re-attaches from a handle: everything is in AWS, so this is describing it.
    public func recoverSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try await observe(try BatchHandle(handle))
    }

    /// The state of a session from AWS.
    func observe(_ handle: BatchHandle) async throws -> ProviderSessionStatus {
        try await requireAccessPoint(handle)
        let names = SessionNames(sessionID: handle.sessionID)
        let latest = try await sessionJobs(names, queue: handle.queue).last
        var job: JSONValue?
        if let id = latest?.summary["jobId"].string { job = try await batch.describeJobs([id]).first }
        return try await status(of: handle, job: job)
    }

    /// The status for a session whose latest job is `job` (nil: none yet).
    func status(of handle: BatchHandle, job: JSONValue?) async throws -> ProviderSessionStatus {
        let now = Date().timeIntervalSince1970 * 1000
        var observation = JobObservation(
            status: job?["status"].string, statusReason: job?["statusReason"].string ?? "", exitCode: job.flatMap(Self.exitCode(of:)),
            createdAt: job?["createdAt"].int.map(Double.init), endpointAnswers: false, now: now,
            runnableTimeout: configuration.runnableTimeout, queue: handle.queue)
        var endpoint: JobEndpoint?
        if let job, job["status"].string == "RUNNING", !observation.statusReason.hasPrefix(JobObservation.pauseReason) {
            endpoint = await self.endpoint(of: job)
            if let endpoint {
                observation.endpointAnswers = TCPProbe.accepts(host: endpoint.host, port: endpoint.port, timeout: .milliseconds(500))
            }
        }
        if observation.runnableTooLong, let id = job?["jobId"].string {
            // The state keeps the capacity reason once the job has failed: Batch keeps this one.
            var reason = "\(JobObservation.capacityReason) after \(configuration.runnableTimeout.components.seconds) s"
            if !observation.statusReason.isEmpty { reason += ": " + observation.statusReason.prefix(200) }
            try? await batch.terminateJob(id, reason: reason)
            logger.info("gave up waiting for capacity", metadata: ["session.id": "\(handle.sessionID)", "aws.job": "\(id)"])
        }
        var (state, reason) = observation.state
        if state == .failed, let job, observation.status == "FAILED" || observation.status == "SUCCEEDED" {
            let tail = await logTail(of: job, lines: 3)
            if !tail.isEmpty { reason += "; last log lines: \(tail)" }
        }
        var status = ProviderSessionStatus(sessionID: handle.sessionID, handle: handle.handle, state: state, reason: reason)
        if state == .running, let endpoint, let job {
            let environment = job["container"]["environment"].array
            func variable(_ name: String) -> String? { environment.first { $0["name"].string == name }?["value"].string }
            let token = variable("SESSION_TOKEN") ?? ""
            let basePath = variable(Preset.baseURLVariable).flatMap { Preset.basePath(in: [Preset.baseURLVariable: $0]) }
            let host = endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host
            status.connection = Session.Connection(
                url: "http://\(host):\(endpoint.port)\(basePath ?? "/")?token=\(token)", accessToken: token,
                agentAddress: endpoint.agentPort.map { "\(host):\($0)" })
            if let limit = job["timeout"]["attemptDurationSeconds"].int, let started = job["startedAt"].int {
                status.timeLeft = .milliseconds(Int64(max(0, Double(started) + Double(limit) * 1000 - now)))
            }
        }
        return status
    }

    /// The address a running job announced on its log stream, cached per job.
    func endpoint(of job: JSONValue) async -> JobEndpoint? {
        guard let id = job["jobId"].string else { return nil }
        if let cached = endpoints.withLock({ $0[id] }) { return cached }
        guard let stream = job["container"]["logStreamName"].string ?? job["attempts"].array.last?["container"]["logStreamName"].string,
              let messages = try? await logs.messages(group: "/aws/batch/job", stream: stream, limit: 200) else { return nil }
        for message in messages where message.hasPrefix(JobScripts.endpointMarker + " ") {
            if let found = JobEndpoint(announcement: message) {
                endpoints.withLock { $0[id] = found }
                return found
            }
        }
        return nil
    }

    /// The orphan candidates (by safe id, with their active jobs' ids) whose jobs carry
    /// this backend's owner tag: other gateways' sessions share the queue. ListJobs
    /// summaries have no tags; DescribeJobs has.
    private func ownJobs(_ candidates: [String: (handle: BatchHandle, jobs: [String])]) async throws -> [String: BatchHandle] {
        var sessionOfJob: [String: String] = [:]
        for (safe, candidate) in candidates {
            for id in candidate.jobs { sessionOfJob[id] = safe }
        }
        let ids = sessionOfJob.keys.sorted()
        var owned: [String: BatchHandle] = [:]
        for start in stride(from: 0, to: ids.count, by: 100) {
            for job in try await batch.describeJobs(Array(ids[start..<min(ids.count, start + 100)]))
            where job["tags"]["sessiongw:owner"].string == configuration.owner {
                if let safe = job["jobId"].string.flatMap({ sessionOfJob[$0] }) { owned[safe] = candidates[safe]?.handle }
            }
        }
        return owned
    }

    /// Every session this backend's mark is on: its access points, plus jobs that run
    /// without one and Secrets Manager secrets of sessions that have neither (orphans,
    /// with a handle whose access point is `-`), so the gateway can delete what no
    /// session owns.
    public func listSessions() async throws -> [ProviderSessionStatus] {
        let points = try await efs.accessPoints(fileSystem: configuration.fileSystemID).filter {
            Self.efsTags($0)["sessiongw:owner"] == configuration.owner
        }
        var handles: [String: BatchHandle] = [:]
        for point in points {
            let tags = Self.efsTags(point)
            guard let session = tags["sessiongw:session"], let id = point["AccessPointId"].string else { continue }
            let handle = BatchHandle(sessionID: SessionID(rawValue: session), accessPointID: id, queue: tags["sessiongw:queue"] ?? configuration.jobQueue)
            handles[SessionNames(sessionID: handle.sessionID).safeID] = handle
        }
        var latest: [String: (attempt: Int, summary: JSONValue)] = [:]
        var candidates: [String: (handle: BatchHandle, jobs: [String])] = [:]
        for queue in Set(handles.values.map(\.queue) + [configuration.jobQueue]) {
            for summary in try await batch.listJobs(queue: queue, namePrefix: "sgw-") {
                let name = summary["jobName"].string ?? ""
                guard let dash = name.lastIndex(of: "-"), name.count > 4 else { continue }
                let safe = String(name[name.index(name.startIndex, offsetBy: 4)..<dash])
                let names = SessionNames(sessionID: SessionID(rawValue: safe))
                if let handle = handles[safe] {
                    if case .session(let attempt) = SessionNames(sessionID: handle.sessionID).kind(ofJob: name),
                       attempt > (latest[safe]?.attempt ?? 0) {
                        latest[safe] = (attempt, summary)
                    }
                } else if names.kind(ofJob: name) != nil, JobObservation.isActive(summary["status"].string), let id = summary["jobId"].string {
                    let handle = BatchHandle(sessionID: SessionID(rawValue: safe), accessPointID: nil, queue: queue)
                    candidates[safe, default: (handle, [])].jobs.append(id)
                }
            }
        }
        let orphans = try await ownJobs(candidates)
        var leftSecrets: [String: BatchHandle] = [:]
        for secret in try await secrets.secrets(namePrefix: SessionNames.secretPrefix(owner: configuration.owner)) {
            let tags = Self.efsTags(secret)
            guard tags["sessiongw:owner"] == configuration.owner, let session = tags["sessiongw:session"], !session.isEmpty else { continue }
            let sessionID = SessionID(rawValue: session)
            let safe = SessionNames(sessionID: sessionID).safeID
            guard handles[safe] == nil, orphans[safe] == nil else { continue }
            leftSecrets[safe] = BatchHandle(sessionID: sessionID, accessPointID: nil, queue: tags["sessiongw:queue"] ?? configuration.jobQueue)
        }
        var statuses: [ProviderSessionStatus] = []
        for (safe, handle) in handles.sorted(by: { $0.key < $1.key }) {
            var job = latest[safe]?.summary
            if let summary = job, JobObservation.isActive(summary["status"].string), let id = summary["jobId"].string {
                job = try await batch.describeJobs([id]).first ?? summary
            }
            statuses.append(try await status(of: handle, job: job))
        }
        for (_, handle) in orphans.sorted(by: { $0.key < $1.key }) {
            statuses.append(ProviderSessionStatus(
                sessionID: handle.sessionID, handle: handle.handle, state: .unknown,
                reason: "a job of this backend runs without an access point; no session owns it"))
        }
        for (_, handle) in leftSecrets.sorted(by: { $0.key < $1.key }) {
            statuses.append(ProviderSessionStatus(
                sessionID: handle.sessionID, handle: handle.handle, state: .unknown,
                reason: "a Secrets Manager secret of this backend remains without an access point or running job; no session owns it"))
        }
        return statuses
    }
}
