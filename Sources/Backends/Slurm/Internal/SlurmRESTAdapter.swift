import SessionSDK

/// What changes between versions of slurmrestd's OpenAPI: paths and JSON. Everything
/// else in the backend speaks ``SlurmJob`` and ``JobSubmission``; a new API version is
/// a new type conforming to this protocol and a case in ``adapter(for:)``.
protocol SlurmRESTAdapter: Sendable {
    /// The version in paths, such as `v0.0.38`.
    var version: String { get }
    /// The path of the ping endpoint.
    var pingPath: String { get }
    /// The path listing every job (one call per poll, for all sessions).
    var jobsPath: String { get }
    /// The path to submit a batch job.
    var submitPath: String { get }
    /// The path to cancel one job.
    func cancelPath(jobID: Int) -> String
    /// The submission's JSON body.
    func encode(_ submission: JobSubmission) throws(SessionError) -> [UInt8]
    /// The job id from a submission's response.
    func decodeSubmitted(_ body: [UInt8]) throws(SessionError) -> Int
    /// The jobs from a listing's response.
    func decodeJobs(_ body: [UInt8]) throws(SessionError) -> [SlurmJob]
    /// Whether a ping's response says a controller is up.
    func decodePing(_ body: [UInt8]) throws(SessionError) -> Bool
    /// The errors any response carries.
    func decodeErrors(_ body: [UInt8]) -> [SlurmRESTError]
}

/// One entry of a response's `errors` array.
struct SlurmRESTError: Hashable, Sendable {
    /// Slurm's error number (`slurm_errno`).
    var number: Int
    /// The short error text.
    var error: String
    /// The longer description.
    var detail: String

    /// Whether it says that slurmctld cannot be reached: the communication errors
    /// (1000–1999) and `SLURM_PROTOCOL_*` failures.
    var meansControllerUnreachable: Bool {
        (1000..<2000).contains(number) || detail.lowercased().contains("unable to contact slurm controller")
    }
}

extension SlurmRESTError {
    /// Whether it refuses a job only for now: its nodes are not available yet (after a
    /// controller restart, before slurmd registers again) or busy. Matched on Slurm's
    /// words as well, because slurmrestd `v0.0.38` reports these with errno 0.
    var meansTemporarilyRefused: Bool {
        let text = (detail + " " + error).lowercased()
        return text.contains("required node not available") || text.contains("requested nodes are busy")
    }

    /// Whether it refuses a job for a usage limit (an association's or QOS's).
    var meansOverQuota: Bool {
        (detail + " " + error).lowercased().contains("job violates accounting/qos policy")
    }

    /// `description (error, errno N)`.
    var summary: String {
        let text = detail.isEmpty ? error : detail
        return "\(text) (errno \(number))"
    }
}

enum SlurmRESTAdapters {
    /// The adapter for an API version name.
    ///
    /// - Throws: `INVALID_ARGUMENT` for a version this backend does not speak.
    static func adapter(for version: String) throws(SessionError) -> any SlurmRESTAdapter {
        switch version {
        case "v0.0.38", "0.0.38": SlurmRESTv0038()
        default:
            throw SessionError(
                .invalidArgument, "the Slurm backend does not speak slurmrestd API version '\(version)'; use v0.0.38 (Slurm 22.05)")
        }
    }
}
