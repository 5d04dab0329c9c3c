import NIOHTTP1
import Foundation
import Logging
public import SessionSDK

extension AWSBatchProvider {
    /// Takes a checkpoint of the home as one S3 object,
    /// `<prefix>/sessions/<id>/checkpoints/<checkpoint>.tar.gz` (a tar.gz without
    /// `data/`, made by a short job with the session's volumes). Taking the same
    /// checkpoint again returns the object already there.
    ///
    /// - Throws: `NOT_FOUND` when the session was deleted; `UNAVAILABLE` when the job
    ///   could not upload it.
    public func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint {
        let parsed = try BatchHandle(handle)
        try await requireAccessPoint(parsed)
        let names = SessionNames(sessionID: parsed.sessionID)
        let key = names.checkpointKey(configuration.checkpointPrefix, checkpoint.id)
        var taken = checkpoint
        taken.session = parsed.sessionID
        taken.location = "s3://\(configuration.checkpointBucket)/\(key)"
        if let size = try await s3.objectSize(key) {
            taken.sizeBytes = size
            return taken
        }
        let url = try await s3.presignedURL(.PUT, key: key, expires: configuration.helperJobTimeout + .seconds(600))
        let job = try await runHelperJob(
            parsed, name: names.checkpointJob(checkpoint.id), script: JobScripts.checkpoint, arguments: [],
            environment: ["SESSIONGW_PUT_URL": url])
        guard let size = try await s3.objectSize(key) else {
            let tail = await logTail(of: job)
            throw SessionError(
                .unavailable,
                "the checkpoint job for session '\(parsed.sessionID)' ended \(job["status"].string ?? "?") without uploading the checkpoint"
                    + (tail.isEmpty ? "" : ": \(tail)"))
        }
        taken.sizeBytes = size
        logger.info("checkpoint taken", metadata: ["session.id": "\(parsed.sessionID)", "checkpoint.id": "\(checkpoint.id)", "checkpoint.bytes": "\(size)"])
        return taken
    }

    /// Deletes a checkpoint's object. Idempotent.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the location is not the object this backend
    ///   writes for the checkpoint (another bucket's, session's or checkpoint's key);
    ///   nothing is deleted then.
    public func deleteCheckpoint(_ checkpoint: Checkpoint) async throws {
        let key = SessionNames(sessionID: checkpoint.session).checkpointKey(configuration.checkpointPrefix, checkpoint.id)
        guard checkpoint.location == "s3://\(configuration.checkpointBucket)/\(key)" else {
            throw SessionError(
                .invalidArgument,
                "checkpoint '\(checkpoint.id)' has the location '\(DataLinkRules.printable(String(checkpoint.location.prefix(300))))', "
                    + "which is not the object this backend wrote for it in bucket '\(configuration.checkpointBucket)'; nothing was deleted")
        }
        try await s3.delete(key)
    }

    // MARK: Shared references

    /// The prefix of the reference markers of a checkpoint object.
    func referencePrefix(of key: String) -> String { "\(configuration.checkpointPrefix)/references/\(key)/" }

    /// Records that `session` was cloned from the checkpoint object `key`: a marker
    /// under the checkpoint's references, and the key in the session's `origin` object.
    func recordReference(to key: String, from session: SessionID) async throws {
        let names = SessionNames(sessionID: session)
        try await s3.put(referencePrefix(of: key) + names.safeID, [])
        try await s3.put(names.objectPrefix(configuration.checkpointPrefix) + "origin", Array(key.utf8))
    }

    /// Deletes a session's objects: its checkpoints (except those other sessions were
    /// cloned from, kept until the last of them is deleted), its reference to the
    /// checkpoint it was cloned from, and what its helper jobs left.
    func deleteObjects(of session: SessionID) async throws {
        let names = SessionNames(sessionID: session)
        let prefix = names.objectPrefix(configuration.checkpointPrefix)
        if let origin = try await s3.object(prefix + "origin").map({ String(decoding: $0, as: UTF8.self) }), !origin.isEmpty {
            try await s3.delete(referencePrefix(of: origin) + names.safeID)
            if try await s3.keys(prefix: referencePrefix(of: origin)).isEmpty, let owner = ownerPrefix(ofCheckpointKey: origin),
               try await s3.objectSize(owner + "deleted") != nil {
                try await s3.delete(origin)
            }
        }
        var kept = false
        for key in try await s3.keys(prefix: prefix) where key != prefix + "deleted" {
            if key.hasPrefix(prefix + "checkpoints/"), try await !s3.keys(prefix: referencePrefix(of: key)).isEmpty {
                kept = true
                continue
            }
            try await s3.delete(key)
        }
        if kept {
            try await s3.put(prefix + "deleted", [])
        } else {
            try await s3.delete(prefix + "deleted")
        }
    }

    /// `<prefix>/sessions/<id>/` of a checkpoint key.
    func ownerPrefix(ofCheckpointKey key: String) -> String? {
        guard let range = key.range(of: "/checkpoints/") else { return nil }
        return String(key[..<range.lowerBound]) + "/"
    }

    // MARK: Execute

    /// Runs a command in the session's environment (its home and mounts) as a short
    /// Batch job with the session's job definition; its output, error output and exit
    /// status come back through S3.
    ///
    /// - Throws: `INVALID_ARGUMENT` for an empty command, `NOT_FOUND` for a deleted
    ///   session, `DEADLINE_EXCEEDED` after `helperJobTimeout`.
    public func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
        guard !command.isEmpty, !command.joined().contains("\0") else {
            throw SessionError(.invalidArgument, "the command to execute is empty or contains a NUL character")
        }
        let parsed = try BatchHandle(handle)
        try await requireAccessPoint(parsed)
        let names = SessionNames(sessionID: parsed.sessionID)
        let name = names.executeJob()
        let base = "\(names.objectPrefix(configuration.checkpointPrefix))exec/\(name)/"
        let expires = configuration.helperJobTimeout + .seconds(600)
        var environment: [String: String] = [:]
        for (variable, part) in [("SESSIONGW_OUT_URL", "out"), ("SESSIONGW_ERR_URL", "err"), ("SESSIONGW_CODE_URL", "code")] {
            environment[variable] = try await s3.presignedURL(.PUT, key: base + part, expires: expires)
        }
        let job = try await runHelperJob(parsed, name: name, script: JobScripts.execute, arguments: command, environment: environment)
        let code = try await s3.object(base + "code").flatMap { Int32(String(decoding: $0, as: UTF8.self)) }
        let output = try await s3.object(base + "out") ?? []
        let errors = try await s3.object(base + "err") ?? []
        for part in ["out", "err", "code"] { try? await s3.delete(base + part) }
        guard let code else {
            let tail = await logTail(of: job)
            throw SessionError(
                .unavailable,
                "the job running the command in session '\(parsed.sessionID)' ended \(job["status"].string ?? "?") without reporting its result"
                    + (tail.isEmpty ? "" : ": \(tail)"))
        }
        return ExecutionResult(exitCode: code, output: String(decoding: output, as: UTF8.self), errorOutput: String(decoding: errors, as: UTF8.self))
    }

    /// The session's job log (its latest job's CloudWatch Logs stream), oldest first,
    /// for the activity log.
    ///
    /// - Throws: `NOT_FOUND` when the session was deleted.
    public func jobLog(_ handle: SessionHandle, limit: Int = 1000) async throws -> [String] {
        let parsed = try BatchHandle(handle)
        try await requireAccessPoint(parsed)
        guard let latest = try await sessionJobs(SessionNames(sessionID: parsed.sessionID), queue: parsed.queue).last,
              let id = latest.summary["jobId"].string, let job = try await batch.describeJobs([id]).first,
              let stream = job["container"]["logStreamName"].string else { return [] }
        return Array(try await logs.messages(group: "/aws/batch/job", stream: stream, limit: limit).suffix(limit))
    }
}
