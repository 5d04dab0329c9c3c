import BackendStorage
import Foundation
import Glibc
import SessionSDK

/// Where the Slurm backend keeps a session's files on the shared filesystem:
///
/// ```
/// SHARED/sessions/<id>/session.json          the SessionRecord (goal, job id, home, mounts)
/// SHARED/sessions/<id>/home/                 a new session's home, mounted at /workspace
/// SHARED/sessions/<id>/environment           the request's variables, NUL-separated, 0600
/// SHARED/sessions/<id>/job-<job>.log         the job's standard output and error
/// SHARED/sessions/<id>/connection-<job>.json written by the job once its command serves (0600)
/// SHARED/sessions/<id>/exit-<job>            written by the job when its command ends
/// SHARED/checkpoints/<id>/<checkpoint>.tar.gz
/// SHARED/volumes/<name>/                     existing home volumes
/// ```
struct SessionFiles: Sendable {
    /// `SHARED/sessions/<id>`.
    let directory: String

    var record: String { "\(directory)/session.json" }
    var home: String { "\(directory)/home" }
    var environment: String { "\(directory)/environment" }
    var logPattern: String { "\(directory)/job-%j.log" }
    func log(job: Int) -> String { "\(directory)/job-\(job).log" }
    func connection(job: Int) -> String { "\(directory)/connection-\(job).json" }
    func exitStatus(job: Int) -> String { "\(directory)/exit-\(job)" }

    /// Checks that an identifier can name a file and a job: 1 to 128 letters, digits,
    /// `.`, `_` or `-`, not starting with `.`.
    ///
    /// - Throws: `INVALID_ARGUMENT` naming `what`.
    static func validateIdentifier(_ value: String, what: String) throws(SessionError) {
        try StorageIdentifier.validate(value, what: what, backend: "Slurm")
    }

    /// Writes `data` atomically (temporary file, rename) with `mode`.
    static func write(_ data: Data, to path: String, mode: mode_t) throws(SessionError) {
        let temporary = "\(path).tmp-\(UInt32.random(in: .min ... .max))"
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
        } catch {
            unlink(temporary)
            throw SessionError(.internalError, "cannot write \(path) on the shared filesystem", cause: error)
        }
        guard chmod(temporary, mode) == 0, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SessionError(.internalError, "cannot write \(path): \(reason)")
        }
    }

    /// The last `lines` lines of a file, or "" when it cannot be read.
    static func tail(_ path: String, lines: Int) -> String {
        guard lines > 0, let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 16_384 ? size - 16_384 : 0)
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines + 1)
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// What the Slurm backend keeps about one session in `session.json`, so that any
/// provider instance (after a gateway restart) can describe, pause, resume and delete
/// it from its handle.
struct SessionRecord: Codable, Hashable, Sendable {
    /// What the session should be doing.
    enum Goal: String, Codable, Hashable, Sendable {
        /// A job should run and serve.
        case running
        /// No job should run; the home is kept.
        case paused
    }

    /// The file format's version.
    var version = 1
    /// The session's id.
    var sessionID: String
    /// Running or paused.
    var goal: Goal
    /// The current job; nil before the first submission finished.
    var jobID: Int?
    /// Seconds since the Unix epoch when the current job was submitted.
    var submittedAt: Double?
    /// The directory bind-mounted at `/workspace`.
    var home: String
    /// Whether deleting the session removes the home (false for existing volumes).
    var ownsHome: Bool
    /// The data-link bind mounts.
    var mounts: [BindMount]
    /// Seconds since the Unix epoch when created.
    var createdAt: Double
    /// The path the IDE serves under (``Preset/basePath(in:)``) since the last
    /// submission; nil for `/`.
    var basePath: String?
    /// The last state Slurm reported for a job that is over, kept for when slurmctld has
    /// forgotten the job (after `MinJobAge`).
    var endedJob: EndedJob?
    /// The job whose command did not serve within the readiness timeout; the backend
    /// cancelled it, and the session is FAILED until it is resumed.
    var readinessFailure: ReadinessFailure?
    /// The job Slurm requeued (its node failed, or an administrator requeued it); the
    /// backend cancelled it, and the session is FAILED until it is resumed.
    var requeuedJob: RequeuedJob?

    /// A job's final facts.
    struct EndedJob: Codable, Hashable, Sendable {
        var jobID: Int
        var state: String
        var reason: String
        var waitStatus: Int?
        var nodes: String
    }

    /// A job given up on because its command did not serve in time.
    struct ReadinessFailure: Codable, Hashable, Sendable {
        var jobID: Int
        /// Seconds since the Unix epoch when the backend gave up on it.
        var detectedAt: Double
    }

    /// A job given up on because Slurm requeued it.
    struct RequeuedJob: Codable, Hashable, Sendable {
        var jobID: Int
        /// The host it served on, from its reported connection; empty when it never served.
        var node: String
        /// Seconds since the Unix epoch when the backend noticed.
        var detectedAt: Double
    }

    static func load(from path: String) throws(SessionError) -> SessionRecord? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(SessionRecord.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw SessionError(.internalError, "the session state at \(path) is damaged; delete the session", cause: error)
        }
    }

    func save(to path: String) throws(SessionError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(self) } catch {
            throw SessionError(.internalError, "cannot encode the session state", cause: error)
        }
        try SessionFiles.write(data, to: path, mode: 0o600)
    }
}

/// A host directory bind-mounted into a session.
struct BindMount: Codable, Hashable, Sendable {
    /// The directory on the cluster.
    var source: String
    /// Where it appears inside the session, under `/workspace/data`.
    var target: String
    /// Whether writes are refused.
    var readOnly: Bool
}

/// What a job wrote once its command served.
struct ReportedConnection: Codable, Hashable, Sendable {
    var job: Int
    var host: String
    var port: Int
    var token: String
    /// The session agent's port on the same host; nil without an agent.
    var agentPort: Int?

    static func load(from path: String) -> ReportedConnection? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(ReportedConnection.self, from: data)
    }
}
