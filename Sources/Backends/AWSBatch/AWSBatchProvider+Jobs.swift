import NIOHTTP1
import Foundation
import Logging
import SessionSDK

/// Jobs, job definitions and access points: the pieces the lifecycle calls are made of.
extension AWSBatchProvider {
    /// The queue a request runs on.
    func queue(for request: ProviderSessionRequest) -> String {
        request.computePool.isEmpty ? configuration.jobQueue : request.computePool
    }

    /// The session jobs (not helpers) of a session, latest attempt last.
    func sessionJobs(_ names: SessionNames, queue: String) async throws -> [(attempt: Int, summary: JSONValue)] {
        try await batch.listJobs(queue: queue, namePrefix: names.jobPrefix).compactMap { summary in
            guard case .session(let attempt) = names.kind(ofJob: summary["jobName"].string ?? "") else { return nil }
            return (attempt, summary)
        }.sorted { $0.attempt < $1.attempt }
    }

    /// Every job (session and helpers) of a session still holding or waiting for compute.
    func activeJobs(_ names: SessionNames, queue: String) async throws -> [JSONValue] {
        try await batch.listJobs(queue: queue, namePrefix: names.jobPrefix).filter {
            names.kind(ofJob: $0["jobName"].string ?? "") != nil && JobObservation.isActive($0["status"].string)
        }
    }

    /// Waits until a job has stopped; returns its description (nil when it vanished).
    func waitForJob(_ id: String, timeout: Duration) async throws -> JSONValue? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            guard let job = try await batch.describeJobs([id]).first else { return nil }
            if !JobObservation.isActive(job["status"].string) { return job }
            guard clock.now < deadline else {
                try? await batch.terminateJob(id, reason: "sessiongw: helper job timed out")
                throw SessionError(.deadlineExceeded, "job \(id) did not finish within \(timeout)")
            }
            try await Task.sleep(for: configuration.pollInterval)
        }
    }

    /// The exit code of a stopped job (the container's, or its last attempt's).
    static func exitCode(of job: JSONValue) -> Int? {
        job["container"]["exitCode"].int ?? job["attempts"].array.last?["container"]["exitCode"].int
    }

    // MARK: Access points

    /// The tags on everything the backend makes for a session.
    func tags(for sessionID: SessionID, queue: String) -> [String: String] {
        ["sessiongw:owner": configuration.owner, "sessiongw:session": sessionID.rawValue, "sessiongw:queue": queue]
    }

    /// Tags of an EFS (or Secrets Manager) description as a dictionary.
    static func efsTags(_ accessPoint: JSONValue) -> [String: String] {
        var tags: [String: String] = [:]
        for tag in accessPoint["Tags"].array {
            if let key = tag["Key"].string { tags[key] = tag["Value"].string ?? "" }
        }
        return tags
    }

    /// The access point this backend made for a session, if any.
    func ownedAccessPoint(of sessionID: SessionID) async throws -> JSONValue? {
        try await efs.accessPoints(fileSystem: configuration.fileSystemID).first {
            let tags = Self.efsTags($0)
            return tags["sessiongw:owner"] == configuration.owner && tags["sessiongw:session"] == sessionID.rawValue
        }
    }

    /// Creates the home's access point: POSIX user, root directory `/sessions/<id>`.
    func createAccessPoint(for sessionID: SessionID, queue: String) async throws -> String {
        let names = SessionNames(sessionID: sessionID)
        let tags = tags(for: sessionID, queue: queue).sorted { $0.key < $1.key }.map { JSONValue.object(["Key": .string($0.key), "Value": .string($0.value)]) }
        let request: JSONValue = [
            "ClientToken": .string("sgw-\(names.safeID)".prefix(64).description),
            "FileSystemId": .string(configuration.fileSystemID),
            "PosixUser": ["Uid": .number(Double(configuration.posixUID)), "Gid": .number(Double(configuration.posixGID))],
            "RootDirectory": [
                "Path": .string(names.rootDirectory),
                "CreationInfo": [
                    "OwnerUid": .number(Double(configuration.posixUID)), "OwnerGid": .number(Double(configuration.posixGID)),
                    "Permissions": "0750",
                ],
            ],
            "Tags": .array(tags + [["Key": "Name", "Value": .string("sessiongw \(sessionID.rawValue)".prefix(256).description)]]),
        ]
        guard let id = try await efs.createAccessPoint(request)["AccessPointId"].string else {
            throw SessionError(.unavailable, "Amazon EFS answered CreateAccessPoint without an access point id")
        }
        logger.info("access point created", metadata: ["session.id": "\(sessionID)", "aws.accessPoint": "\(id)"])
        return id
    }

    // MARK: Job definitions and submission

    /// The job definition for a request's IDE kind and size with its volumes: an ACTIVE
    /// revision with the same fingerprint when there is one, a new revision otherwise.
    /// With `secrets` (variable name, `valueFrom`), the definition names them in
    /// `containerProperties.secrets`; such definitions are the session's own (their
    /// name ends with `-s<hash of the session's secret>`), as `secrets` cannot be given
    /// at submission.
    func jobDefinition(
        for request: ProviderSessionRequest, accessPointID: String, secrets: [(name: String, valueFrom: String)] = []
    ) async throws -> String {
        let cpus = max(1, (request.resources.cpuMillis + 999) / 1000)
        let memory = max(4, Int(request.resources.memoryBytes >> 20))
        var name = "\(configuration.owner)-\(request.ideKind.rawValue.lowercased())-\(cpus)c-\(memory)m"
        if request.resources.gpus > 0 { name += "-\(request.resources.gpus)g" }
        if !secrets.isEmpty {
            name += "-s" + SessionNames.hash(SessionNames(sessionID: request.sessionID).secretName(owner: configuration.owner))
        }
        var requirements: [JSONValue] = [
            ["type": "VCPU", "value": .string(String(cpus))], ["type": "MEMORY", "value": .string(String(memory))],
        ]
        if request.resources.gpus > 0 { requirements.append(["type": "GPU", "value": .string(String(request.resources.gpus))]) }
        var volumes: [JSONValue] = [
            [
                "name": "home",
                "efsVolumeConfiguration": [
                    "fileSystemId": .string(configuration.fileSystemID), "rootDirectory": "/", "transitEncryption": "ENABLED",
                    "authorizationConfig": ["accessPointId": .string(accessPointID), "iam": "ENABLED"],
                ],
            ],
        ]
        var mountPoints: [JSONValue] = [["sourceVolume": "home", "containerPath": .string(configuration.homeMountPath), "readOnly": false]]
        for (index, link) in request.dataLinks.enumerated() where link.dataLink.location.scheme == .efs {
            let location = link.dataLink.location
            volumes.append([
                "name": .string("data\(index)"),
                "efsVolumeConfiguration": [
                    "fileSystemId": .string(location.bucket), "rootDirectory": .string("/" + location.prefix),
                    "transitEncryption": "ENABLED",
                ],
            ])
            mountPoints.append(["sourceVolume": .string("data\(index)"), "containerPath": .string(link.mountPath), "readOnly": .bool(link.readOnly)])
        }
        for (index, volume) in request.dataVolumes.enumerated() {
            volumes.append(["name": .string("volume\(index)"), "efsVolumeConfiguration": Self.efsVolume(volume.source)])
            mountPoints.append(["sourceVolume": .string("volume\(index)"), "containerPath": .string(volume.mountPath), "readOnly": .bool(volume.readOnly)])
        }
        var properties: JSONValue = [
            "image": .string(request.image),
            "command": ["/bin/sh", "-c", .string(JobScripts.session), "sessiongw-session"],
            "resourceRequirements": .array(requirements),
            "volumes": .array(volumes),
            "mountPoints": .array(mountPoints),
        ]
        if case .object(var fields) = properties {
            if !secrets.isEmpty {
                fields["secrets"] = .array(secrets.map { ["name": .string($0.name), "valueFrom": .string($0.valueFrom)] })
            }
            if let role = configuration.executionRoleArn { fields["executionRoleArn"] = .string(role) }
            properties = .object(fields)
        }
        let fingerprint = SessionNames.hash(String(decoding: properties.bytes, as: UTF8.self))
        if let existing = try await batch.activeJobDefinitions(named: name).first(where: {
            $0["parameters"]["sessiongwFingerprint"].string == fingerprint
        }), let arn = existing["jobDefinitionArn"].string {
            return arn
        }
        return try await batch.registerJobDefinition([
            "jobDefinitionName": .string(name), "type": "container", "containerProperties": properties,
            "parameters": ["sessiongwFingerprint": .string(fingerprint)], "retryStrategy": ["attempts": 1],
            "tags": ["sessiongw:owner": .string(configuration.owner)],
        ])
    }

    /// An EFS volume for a data volume's source: `fsap-...` (an access point) or
    /// `fs-...[/path]`.
    static func efsVolume(_ source: String) -> JSONValue {
        if source.hasPrefix("fsap-") {
            return ["fileSystemId": "", "transitEncryption": "ENABLED", "authorizationConfig": ["accessPointId": .string(source), "iam": "ENABLED"]]
        }
        let parts = source.split(separator: "/", maxSplits: 1)
        return [
            "fileSystemId": .string(String(parts.first ?? "")), "rootDirectory": .string("/" + (parts.count > 1 ? String(parts[1]) : "")),
            "transitEncryption": "ENABLED",
        ]
    }

    /// Submits attempt `attempt` of a session's job. Secret variables are put into the
    /// session's Secrets Manager secret first (their current values, on every start)
    /// and reach the job through its definition's `secrets`; they are in no Batch
    /// request.
    func submitSessionJob(_ request: ProviderSessionRequest, handle: BatchHandle, attempt: Int) async throws {
        let names = SessionNames(sessionID: request.sessionID)
        var environment = request.environment.filter { !request.secretNames.contains($0.key) }
        environment["SESSION_ID"] = request.sessionID.rawValue
        environment["SESSION_PORT"] = String(configuration.sessionPort)
        environment["SESSION_TOKEN"] = Self.newToken()
        environment["HOME"] = configuration.homeMountPath
        environment["SESSIONGW_HOME"] = configuration.homeMountPath
        if let host = configuration.advertiseHost { environment["SESSIONGW_ADVERTISE_HOST"] = host }
        let runsAgent = request.agentToken != nil && configuration.agentPath != nil
        if runsAgent, let path = configuration.agentPath {
            environment["SESSIONGW_AGENT_PATH"] = path
            environment["SESSIONGW_AGENT_PORT"] = String(configuration.agentPort)
        }
        let s3Links = request.dataLinks.filter { $0.dataLink.location.scheme == .s3 }
        if !s3Links.isEmpty {
            environment["SESSIONGW_S3_DATALINKS"] = String(decoding: JSONValue.array(s3Links.map { link in
                [
                    "name": .string(link.dataLink.name), "bucket": .string(link.dataLink.location.bucket),
                    "prefix": .string(link.dataLink.location.prefix), "readOnly": .bool(link.readOnly),
                    "mountPath": .string(link.mountPath),
                ]
            }).bytes, as: UTF8.self)
        }
        if let checkpoint = request.restoreFrom {
            let key = try checkpointKey(fromLocation: checkpoint.location)
            environment["SESSIONGW_RESTORE_URL"] = try await s3.presignedURL(.GET, key: key, expires: .seconds(7 * 24 * 3600))
            environment["SESSIONGW_RESTORE_ID"] = SessionNames.hash(checkpoint.id.rawValue)
        }
        // A secret variable the backend sets itself (HOME, SESSION_TOKEN, ...) is the backend's, as for plain ones.
        var secretVariables = request.environment.filter { request.secretNames.contains($0.key) && environment[$0.key] == nil }
        // The agent's token is a secret too: in the session's Secrets Manager secret, in no Batch request.
        if runsAgent, let token = request.agentToken { secretVariables[SessionAgentLaunch.tokenVariable] = token }
        var secretReferences: [(name: String, valueFrom: String)] = []
        if !secretVariables.isEmpty {
            let value = String(decoding: JSONValue.object(secretVariables.mapValues { .string($0) }).bytes, as: UTF8.self)
            let arn = try await secrets.put(
                name: names.secretName(owner: configuration.owner), value: value, tags: tags(for: request.sessionID, queue: handle.queue))
            secretReferences = secretVariables.keys.sorted().map { ($0, "\(arn):\($0)::") }
            logger.debug(
                "secret variables stored", metadata: ["session.id": "\(request.sessionID)", "aws.secret.variables": "\(secretVariables.keys.sorted())"])
        }
        let definition = try await jobDefinition(for: request, accessPointID: handle.accessPointID ?? "", secrets: secretReferences)
        var body: [String: JSONValue] = [
            "jobName": .string(names.sessionJob(attempt: attempt)),
            "jobQueue": .string(handle.queue),
            "jobDefinition": .string(definition),
            "containerOverrides": [
                "command": .array((["/bin/sh", "-c", JobScripts.session, "sessiongw-session"] + request.command).map { .string($0) }),
                "environment": .array(environment.sorted { $0.key < $1.key }.map { ["name": .string($0.key), "value": .string($0.value)] }),
            ],
            "retryStrategy": ["attempts": 1],
            "tags": .object(tags(for: request.sessionID, queue: handle.queue).mapValues { .string($0) }),
            "propagateTags": true,
        ]
        if let limit = request.durationLimit {
            body["timeout"] = ["attemptDurationSeconds": .number(Double(max(60, limit.components.seconds)))]
        }
        let id = try await submitJobOnce(.object(body))
        logger.info(
            "session job submitted",
            metadata: ["session.id": "\(request.sessionID)", "aws.job": "\(id)", "aws.attempt": "\(attempt)", "aws.queue": "\(handle.queue)"])
    }

    /// Deletes the session's Secrets Manager secret, if any.
    func deleteSecret(of sessionID: SessionID) async throws {
        try await secrets.delete(name: SessionNames(sessionID: sessionID).secretName(owner: configuration.owner))
    }

    /// Submits a job at most once. SubmitJob has no client token, so when an attempt's
    /// answer is lost (a timeout, a broken connection) the job may exist all the same:
    /// ListJobs on the job's queue for its name, which is unique per session and
    /// attempt, decides whether to send it again.
    ///
    /// - Returns: the job's id.
    /// - Throws: `UNAVAILABLE` when no attempt got an answer and no job of that name
    ///   appeared.
    func submitJobOnce(_ request: JSONValue) async throws -> String {
        let name = request["jobName"].string ?? ""
        let queue = request["jobQueue"].string ?? configuration.jobQueue
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await batch.submitJob(request)
            } catch let error as SessionError where error.cause is AWSServiceClient.AnswerLost {
                let existing = try await batch.listJobs(queue: queue, namePrefix: name).first { $0["jobName"].string == name }
                if let id = existing?["jobId"].string {
                    logger.info("a submit whose answer was lost had started the job", metadata: ["aws.job": "\(id)", "aws.attempt": "\(attempt)"])
                    return id
                }
                guard attempt < configuration.retry.maxAttempts else { throw error }
                logger.debug("submitting again after a lost answer", metadata: ["aws.jobName": "\(name)", "aws.attempt": "\(attempt)"])
                try await Task.sleep(for: configuration.retry.delay(afterAttempt: attempt))
            }
        }
    }

    /// Submits a helper job (execute, checkpoint) with the session's latest job
    /// definition and waits for it to stop.
    func runHelperJob(
        _ handle: BatchHandle, name: String, script: String, arguments: [String], environment: [String: String]
    ) async throws -> JSONValue {
        let names = SessionNames(sessionID: handle.sessionID)
        let latest = try await sessionJobs(names, queue: handle.queue).last
        var definition = latest?.summary["jobDefinition"].string
        if definition == nil, let id = latest?.summary["jobId"].string {
            definition = try await batch.describeJobs([id]).first?["jobDefinition"].string
        }
        guard let definition else {
            throw SessionError(.failedPrecondition, "session '\(handle.sessionID)' has no job yet, so nothing can run in it")
        }
        var variables = environment
        variables["SESSIONGW_HOME"] = configuration.homeMountPath
        variables["HOME"] = configuration.homeMountPath
        let id = try await submitJobOnce([
            "jobName": .string(name), "jobQueue": .string(handle.queue), "jobDefinition": .string(definition),
            "containerOverrides": [
                "command": .array((["/bin/sh", "-c", script, name] + arguments).map { .string($0) }),
                "environment": .array(variables.sorted { $0.key < $1.key }.map { ["name": .string($0.key), "value": .string($0.value)] }),
            ],
            "retryStrategy": ["attempts": 1],
            "timeout": ["attemptDurationSeconds": .number(Double(max(60, configuration.helperJobTimeout.components.seconds)))],
            "tags": .object(tags(for: handle.sessionID, queue: handle.queue).mapValues { .string($0) }),
        ])
        guard let job = try await waitForJob(id, timeout: configuration.helperJobTimeout) else {
            throw SessionError(.unavailable, "AWS Batch lost job \(id)")
        }
        return job
    }

    /// The last lines of a job's log, for failure messages.
    func logTail(of job: JSONValue, lines: Int = 5) async -> String {
        guard let stream = job["container"]["logStreamName"].string else { return "" }
        let messages = (try? await logs.messages(group: "/aws/batch/job", stream: stream)) ?? []
        return messages.suffix(lines).joined(separator: " | ")
    }

    /// A random token.
    static func newToken() -> String {
        (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: 0...UInt64.max)) }.joined()
    }

    /// The S3 key of a checkpoint location `s3://bucket/key` in this backend's bucket.
    ///
    /// - Throws: `NOT_FOUND` for a location elsewhere.
    func checkpointKey(fromLocation location: String) throws(SessionError) -> String {
        let prefix = "s3://\(configuration.checkpointBucket)/"
        guard location.hasPrefix(prefix), location.count > prefix.count else {
            throw SessionError(.notFound, "checkpoint location '\(location.prefix(200))' is not in bucket '\(configuration.checkpointBucket)'")
        }
        return String(location.dropFirst(prefix.count))
    }
}
