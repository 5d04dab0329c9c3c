import Foundation
import Glibc
import SessionSDK

/// What the Local backend keeps about one session in `ROOT/sessions/<id>/state.json`:
/// enough to describe, stop, resume and recover it after a gateway restart. Written
/// atomically (temporary file, then rename) with mode 0600, since it holds the access
/// token.
struct SessionRecord: Codable, Hashable, Sendable {
    /// What the session should be doing.
    enum Goal: String, Codable, Hashable, Sendable {
        /// Its command should run and serve.
        case running
        /// Its processes should be gone; its home is kept.
        case paused
    }

    /// The file format's version.
    var version = 1
    /// The session's id.
    var sessionID: String
    /// Running or paused.
    var goal: Goal
    /// The host directory bind-mounted at `/workspace`.
    var home: String
    /// Whether the home lives in the session directory (new) or is an existing volume,
    /// which deleting the session keeps.
    var ownsHome: Bool
    /// The port the command serves on.
    var port: Int
    /// The port the session agent listens on (on 127.0.0.1); nil when the session runs
    /// without one.
    var agentPort: Int?
    /// The path the command serves under (`$SESSION_BASE_URL`, for IDEs with a base
    /// URL), part of the connection URL; nil for `/`.
    var basePath: String?
    /// The access token handed to the command and to users.
    var token: String
    /// The launcher's process id, which is also the process group and session id of
    /// every process of the session; nil until the launcher reported it, and again
    /// once a pause stopped the processes.
    var pid: Int32? {
        didSet { pgid = pid }
    }
    /// The process group id the backend signals: always `pid` (the launcher is a
    /// session leader). Stored for people reading the file.
    private(set) var pgid: Int32?
    /// The launcher's start time in clock ticks since boot, to recognize a reused id.
    var pidStartTicks: UInt64?
    /// Seconds since the Unix epoch when the session was created.
    var createdAt: Double
    /// Seconds since the Unix epoch when its processes were last started.
    var startedAt: Double
    /// The duration limit in seconds, if any.
    var durationLimitSeconds: Double?
    /// The data-link bind mounts.
    var mounts: [BindMount]
    /// The packages of the session's custom environment, in canonical order; nil for
    /// the system as it is.
    var packages: [String]? = nil
    /// The cache key of that environment (``EnvironmentCacheKey``).
    var environmentKey: String? = nil
}

/// A host directory bind-mounted into a session.
struct BindMount: Codable, Hashable, Sendable {
    /// The host directory.
    var source: String
    /// Where it appears inside the session, under `/workspace/data`.
    var target: String
    /// Whether writes are refused.
    var readOnly: Bool
}

extension SessionRecord {
    /// Reads a record.
    ///
    /// - Throws: `NOT_FOUND` when the file is missing, `INTERNAL` when it is unreadable.
    static func load(from path: String) throws(SessionError) -> SessionRecord {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SessionError(.notFound, "no session state at \(path)", cause: error)
        }
        do {
            return try JSONDecoder().decode(SessionRecord.self, from: data)
        } catch {
            throw SessionError(.internalError, "the session state at \(path) is damaged; delete the session", cause: error)
        }
    }

    /// Writes the record atomically with mode 0600.
    ///
    /// - Throws: `RESOURCE_EXHAUSTED` when the disk is full, `INTERNAL` otherwise.
    func save(to path: String) throws(SessionError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let temporary = "\(path).tmp-\(UInt32.random(in: .min ... .max))"
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: temporary))
        } catch {
            unlink(temporary)
            let full = (error as? CocoaError)?.code == .fileWriteOutOfSpace
            throw SessionError(full ? .resourceExhausted : .internalError, "cannot write the session state \(path)", cause: error)
        }
        guard chmod(temporary, 0o600) == 0, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SessionError(.internalError, "cannot write the session state \(path): \(reason)")
        }
    }
}
