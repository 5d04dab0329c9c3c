import NIOHTTP1
import SessionSDK

/// The AWS Batch operations the backend uses (REST-JSON, `POST /v1/<operation>`).
struct BatchAPI: Sendable {
    /// The signed client for `batch`.
    var client: AWSServiceClient

    private func call(_ operation: String, _ body: JSONValue, idempotent: Bool = true, what: String) async throws -> JSONValue {
        do {
            let response = try await client.send(
                .POST, path: "/v1/\(operation)", headers: [("Content-Type", "application/json")], body: body.bytes,
                idempotent: idempotent, what: what)
            return try response.json()
        } catch let error as AWSServiceError {
            throw error.sessionError(what)
        }
    }

    /// SubmitJob; returns the job id. Not retried after a failed connection or a lost
    /// answer (see ``AWSServiceClient/send(_:path:query:headers:body:idempotent:what:)``):
    /// use ``AWSBatchProvider/submitJobOnce(_:)``.
    func submitJob(_ request: JSONValue) async throws -> String {
        let answer = try await call("submitjob", request, idempotent: false, what: "submitting job '\(request["jobName"].string ?? "")'")
        guard let id = answer["jobId"].string else {
            throw SessionError(.unavailable, "AWS Batch answered SubmitJob without a job id")
        }
        return id
    }

    /// DescribeJobs for up to 100 ids.
    func describeJobs(_ ids: [String]) async throws -> [JSONValue] {
        guard !ids.isEmpty else { return [] }
        return try await call("describejobs", ["jobs": .array(ids.map { .string($0) })], what: "describing jobs")["jobs"].array
    }

    /// Every job of `queue` whose name starts with `prefix` (ListJobs with a JOB_NAME
    /// filter, which covers every status), following `nextToken`.
    func listJobs(queue: String, namePrefix prefix: String) async throws -> [JSONValue] {
        var jobs: [JSONValue] = []
        var token: String?
        repeat {
            var request: [String: JSONValue] = [
                "jobQueue": .string(queue), "filters": [["name": "JOB_NAME", "values": [.string(prefix + "*")]]],
            ]
            if let token { request["nextToken"] = .string(token) }
            let answer = try await call("listjobs", .object(request), what: "listing the jobs of queue '\(queue)'")
            jobs += answer["jobSummaryList"].array
            token = answer["nextToken"].string
        } while token != nil
        return jobs.filter { ($0["jobName"].string ?? "").hasPrefix(prefix) }
    }

    /// TerminateJob.
    func terminateJob(_ id: String, reason: String) async throws {
        _ = try await call("terminatejob", ["jobId": .string(id), "reason": .string(reason)], what: "terminating job \(id)")
    }

    /// The ACTIVE revisions of a job definition.
    func activeJobDefinitions(named name: String) async throws -> [JSONValue] {
        var definitions: [JSONValue] = []
        var token: String?
        repeat {
            var request: [String: JSONValue] = ["jobDefinitionName": .string(name), "status": "ACTIVE"]
            if let token { request["nextToken"] = .string(token) }
            let answer = try await call("describejobdefinitions", .object(request), what: "describing job definition '\(name)'")
            definitions += answer["jobDefinitions"].array
            token = answer["nextToken"].string
        } while token != nil
        return definitions.filter { $0["jobDefinitionName"].string == name && ($0["status"].string ?? "ACTIVE") == "ACTIVE" }
    }

    /// RegisterJobDefinition; returns `name:revision`.
    func registerJobDefinition(_ request: JSONValue) async throws -> String {
        let name = request["jobDefinitionName"].string ?? ""
        let answer = try await call("registerjobdefinition", request, what: "registering job definition '\(name)'")
        guard let revision = answer["revision"].int else {
            throw SessionError(.unavailable, "AWS Batch answered RegisterJobDefinition without a revision")
        }
        return "\(name):\(revision)"
    }

    /// DescribeJobQueues for one queue; nil when it does not exist.
    func jobQueue(_ name: String) async throws -> JSONValue? {
        try await call("describejobqueues", ["jobQueues": [.string(name)]], what: "describing job queue '\(name)'")["jobQueues"].array.first
    }
}
