import Foundation
import SessionSDK

/// slurmrestd's OpenAPI `v0.0.38`, served by Slurm 22.05: the only place that knows
/// its paths and JSON.
///
/// - Submit: `POST /slurm/v0.0.38/job/submit` with `{"script": ..., "job": {...}}`;
///   `environment` is an object, `memory_per_node` is MiB, `time_limit` minutes.
/// - List: `GET /slurm/v0.0.38/jobs`; `job_state` is the base state, `exit_code` the
///   raw wait status, times are seconds since the epoch, `restart_cnt` counts requeues.
/// - `requeue: false` is sent but ignored by this version (jobs keep `Requeue=1`), so a
///   job whose node fails is requeued as PENDING; the backend notices that from
///   `restart_cnt` (see ``JobObservation/jobWasRequeued``).
/// - Cancel: `DELETE /slurm/v0.0.38/job/{id}` (SIGKILL through slurmctld: the job's
///   processes get SIGTERM, then SIGKILL after the cluster's `KillWait`).
struct SlurmRESTv0038: SlurmRESTAdapter {
    let version = "v0.0.38"
    var pingPath: String { "/slurm/\(version)/ping" }
    var jobsPath: String { "/slurm/\(version)/jobs" }
    var submitPath: String { "/slurm/\(version)/job/submit" }
    func cancelPath(jobID: Int) -> String { "/slurm/\(version)/job/\(jobID)" }

    private struct Submit: Encodable {
        struct Job: Encodable {
            var name: String
            var comment: String
            var partition: String?
            var tasks = 1
            var nodes = "1"
            var cpus_per_task: Int
            var memory_per_node: Int64
            var gres: String?
            var time_limit: Int?
            var current_working_directory: String
            var standard_output: String
            var standard_error: String
            var standard_input = "/dev/null"
            var environment: [String: String]
            var requeue = false
        }
        var script: String
        var job: Job
    }

    private struct Errors: Decodable {
        struct Entry: Decodable {
            var error_number: Int?
            var error: String?
            var description: String?
        }
        var errors: [Entry]?
    }

    private struct Submitted: Decodable {
        var job_id: Int?
    }

    private struct Jobs: Decodable {
        struct Job: Decodable {
            var job_id: Int
            var name: String?
            var comment: String?
            var job_state: String?
            var state_reason: String?
            var state_description: String?
            var exit_code: Int?
            var partition: String?
            var nodes: String?
            var start_time: Double?
            var end_time: Double?
            var time_limit: Int?
            var restart_cnt: Int?
        }
        var jobs: [Job]?
    }

    private struct Pings: Decodable {
        struct Ping: Decodable {
            var ping: String?
        }
        var pings: [Ping]?
    }

    func encode(_ submission: JobSubmission) throws(SessionError) -> [UInt8] {
        let job = Submit.Job(
            name: submission.name, comment: submission.comment,
            partition: submission.partition.isEmpty ? nil : submission.partition,
            cpus_per_task: submission.cpus, memory_per_node: submission.memoryMiB,
            gres: submission.gpus > 0 ? "gpu:\(submission.gpus)" : nil, time_limit: submission.timeLimitMinutes,
            current_working_directory: submission.workingDirectory, standard_output: submission.outputPath,
            standard_error: submission.outputPath, environment: submission.environment)
        do {
            return Array(try JSONEncoder().encode(Submit(script: submission.script, job: job)))
        } catch {
            throw SessionError(.internalError, "cannot encode the job submission for \(submission.name)", cause: error)
        }
    }

    func decodeSubmitted(_ body: [UInt8]) throws(SessionError) -> Int {
        guard let id = try decode(Submitted.self, body).job_id, id > 0 else {
            throw SessionError(.internalError, "slurmrestd accepted the job but returned no job id")
        }
        return id
    }

    func decodeJobs(_ body: [UInt8]) throws(SessionError) -> [SlurmJob] {
        (try decode(Jobs.self, body).jobs ?? []).map { job in
            // time_limit: minutes; absent or 0/huge for INFINITE.
            let limit = job.time_limit.flatMap { $0 > 0 && $0 < 0xFFFF_FFFE ? $0 : nil }
            return SlurmJob(
                id: job.job_id, name: job.name ?? "", comment: job.comment ?? "",
                state: (job.job_state ?? "UNKNOWN").uppercased(), reason: job.state_reason ?? "",
                reasonDescription: job.state_description ?? "", waitStatus: job.exit_code,
                partition: job.partition ?? "", nodes: job.nodes ?? "", startTime: job.start_time ?? 0,
                endTime: job.end_time ?? 0, timeLimitMinutes: limit, restartCount: job.restart_cnt ?? 0)
        }
    }

    func decodePing(_ body: [UInt8]) throws(SessionError) -> Bool {
        (try decode(Pings.self, body).pings ?? []).contains { $0.ping == "UP" }
    }

    func decodeErrors(_ body: [UInt8]) -> [SlurmRESTError] {
        guard let errors = try? JSONDecoder().decode(Errors.self, from: Data(body)).errors else { return [] }
        return errors.map {
            SlurmRESTError(number: $0.error_number ?? 0, error: $0.error ?? "", detail: $0.description ?? "")
        }
    }

    private func decode<Value: Decodable>(_ type: Value.Type, _ body: [UInt8]) throws(SessionError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw SessionError(
                .unavailable, "slurmrestd answered with a body that is not \(version) JSON; check the API version it serves",
                cause: error)
        }
    }
}
