import Foundation

/// The fault rules of the test moto server (`scripts/lib/moto_local_jobs.py`): answers
/// to requests signed with one access key, so one test's faults touch no other test.
struct MotoFaults: Sendable {
    /// The moto endpoint.
    var endpoint: String
    /// The access key whose requests the rules apply to.
    var accessKey: String

    /// The next `count` requests to `path` are answered `status` with the error `code`.
    func fail(_ path: String, count: Int, status: Int, code: String) throws {
        try add(["accessKey": accessKey, "path": path, "count": count, "status": status, "code": code])
    }

    /// The next `count` requests to `path` are handled, then answered `seconds` late.
    func delay(_ path: String, count: Int, seconds: Double) throws {
        try add(["accessKey": accessKey, "path": path, "count": count, "delaySeconds": seconds])
    }

    /// Faults served so far and still to serve, by path.
    func counts() throws -> (served: [String: Int], pending: [String: Int]) {
        let output = try TestTools.run(["curl", "-sSf", "--max-time", "5", "\(endpoint)/_sessiongw/faults?accessKey=\(accessKey)"])
        let object = try JSONSerialization.jsonObject(with: output) as? [String: [String: Int]]
        return (object?["served"] ?? [:], object?["pending"] ?? [:])
    }

    private func add(_ rule: [String: any Sendable]) throws {
        let body = try JSONSerialization.data(withJSONObject: rule)
        try TestTools.run(["curl", "-sSf", "--max-time", "5", "-X", "POST", "--data-binary", "@-", "\(endpoint)/_sessiongw/faults"], input: body)
    }
}
