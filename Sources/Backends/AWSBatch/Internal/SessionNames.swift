import Foundation
internal import Crypto
import SessionSDK

/// The deterministic names of everything the backend makes for a session, and its
/// handle. Job names carry the session id and the attempt, so a retried create or
/// resume finds the job it may already have submitted (ListJobs) instead of starting
/// another one.
///
/// - session job: `sgw-<id>-a<attempt>` (attempt 1 on create, +1 per resume)
/// - execute job: `sgw-<id>-x<random>`; checkpoint job: `sgw-<id>-k<hash of checkpoint id>`
/// - access point root directory: `/sessions/<id>`
/// - S3: `<prefix>/sessions/<id>/checkpoints/<checkpoint id>.tar.gz`
/// - Secrets Manager: `<owner>/sessions/<id>/variables` (the secret variables, a JSON object)
///
/// `<id>` is the session id when it consists of letters, digits, `_` and `-` (and is at
/// most 80 characters); otherwise the allowed characters with `_` for the rest, plus
/// `_` and 8 hex digits of the id's SHA-256, so distinct ids stay distinct.
struct SessionNames: Hashable, Sendable {
    /// The session.
    var sessionID: SessionID

    /// The id as used in names.
    var safeID: String {
        let raw = sessionID.rawValue
        let allowed = raw.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        if allowed && raw.count <= 80 && !raw.isEmpty { return raw }
        let cleaned = String(raw.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "_" }.prefix(60))
        return cleaned + "_" + Self.hash(raw)
    }

    /// The prefix every job name of the session starts with.
    var jobPrefix: String { "sgw-\(safeID)-" }

    /// The session job of an attempt.
    func sessionJob(attempt: Int) -> String { "\(jobPrefix)a\(attempt)" }

    /// A checkpoint job.
    func checkpointJob(_ checkpoint: CheckpointID) -> String { "\(jobPrefix)k\(Self.hash(checkpoint.rawValue))" }

    /// An execute job.
    func executeJob() -> String {
        "\(jobPrefix)x\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
    }

    /// What a job of this session is, from its name; nil for another session's job.
    enum JobKind: Hashable, Sendable {
        case session(attempt: Int)
        case helper
    }

    /// The kind of the job named `name`, or nil when it is not this session's.
    func kind(ofJob name: String) -> JobKind? {
        guard name.hasPrefix(jobPrefix) else { return nil }
        let rest = name.dropFirst(jobPrefix.count)
        guard let first = rest.first, !rest.contains("-") else { return nil }
        switch first {
        case "a": return Int(rest.dropFirst()).map { .session(attempt: $0) }
        case "x", "k": return .helper
        default: return nil
        }
    }

    /// The access point's root directory.
    var rootDirectory: String { "/sessions/\(safeID)" }

    /// The Secrets Manager secret holding the session's secret variables.
    func secretName(owner: String) -> String { "\(Self.secretPrefix(owner: owner))\(safeID)/variables" }

    /// The prefix of every session secret of an owner.
    static func secretPrefix(owner: String) -> String { "\(owner)/sessions/" }

    /// The S3 prefix of the session's objects.
    func objectPrefix(_ base: String) -> String { "\(base)/sessions/\(safeID)/" }

    /// The S3 key of a checkpoint.
    func checkpointKey(_ base: String, _ checkpoint: CheckpointID) -> String {
        "\(objectPrefix(base))checkpoints/\(Self.hash(checkpoint.rawValue))-\(Self.keySafe(checkpoint.rawValue)).tar.gz"
    }

    /// 8 hex digits of SHA-256.
    static func hash(_ text: String) -> String {
        String(SHA256.hash(data: Array(text.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined())
    }

    private static func keySafe(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" }.prefix(64))
    }
}

/// The opaque handle: `awsbatch:<access point id>:<job queue>:<session id>`; `-` for
/// the access point of jobs found without one (orphans).
struct BatchHandle: Hashable, Sendable {
    /// The session.
    var sessionID: SessionID
    /// The home's access point, nil for an orphan job.
    var accessPointID: String?
    /// The job queue its jobs run on.
    var queue: String

    /// The handle's text.
    var handle: SessionHandle {
        SessionHandle(rawValue: "awsbatch:\(accessPointID ?? "-"):\(queue):\(sessionID.rawValue)")
    }

    /// Creates a handle.
    init(sessionID: SessionID, accessPointID: String?, queue: String) {
        self.sessionID = sessionID
        self.accessPointID = accessPointID
        self.queue = queue
    }

    /// Parses a handle.
    ///
    /// - Throws: `NOT_FOUND` for a handle this backend did not make.
    init(_ handle: SessionHandle) throws(SessionError) {
        let parts = handle.rawValue.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "awsbatch", !parts[1].isEmpty, !parts[2].isEmpty, !parts[3].isEmpty else {
            throw SessionError(.notFound, "'\(handle.rawValue.prefix(100))' is not a handle of the AWS Batch backend")
        }
        self.accessPointID = parts[1] == "-" ? nil : String(parts[1])
        self.queue = String(parts[2])
        self.sessionID = SessionID(rawValue: String(parts[3]))
    }
}
