@testable import AWSBatchBackend
import Foundation
import Logging
import SessionSDK
import Testing

/// Secret variables on AWS Batch, on moto: they travel through Secrets Manager and the
/// job definition's `secrets` (`valueFrom`), never in a request Batch keeps, so nobody
/// allowed to describe jobs or job definitions reads them; they are gone with the session.
@Suite("AWS Batch backend: secret variables through Secrets Manager, on moto")
struct AWSBatchSecretsTests {
    /// A fresh tag for names.
    static func tag() -> String { String(UInt32.random(in: 0...UInt32.max), radix: 36) }

    /// A request with the secret variable `API_TOKEN` (and a plain `MODE`) whose command
    /// writes what it sees of both to its home, then serves the home.
    static func request(_ id: SessionID, token: String) -> ProviderSessionRequest {
        var request = MotoFixture.request(id)
        request.environment = ["API_TOKEN": token, "MODE": "plain-value"]
        request.secretNames = ["API_TOKEN"]
        request.command = [
            "/bin/sh", "-c",
            "printf %s \"${API_TOKEN-unset}\" > \"$HOME/seen-token\"; printf %s \"${MODE-unset}\" > \"$HOME/seen-mode\"; "
                + "exec python3 -m http.server \"$SESSION_PORT\" --bind 127.0.0.1",
        ]
        return request
    }

    /// A file of the session's home on the emulated EFS file system, once it exists.
    static func homeFile(_ moto: MotoFixture, _ id: SessionID, _ name: String) async throws -> String? {
        let path = "\(moto.efsRoot)/\(moto.fileSystemID)\(SessionNames(sessionID: id).rootDirectory)/\(name)"
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return text }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// Expects that no DescribeJobs or DescribeJobDefinitions answer about the session
    /// carries any of `values`.
    static func expectNoLeak(_ moto: MotoFixture, _ id: SessionID, owner: String, values: [String], jobs: Int) throws {
        let answers = try moto.describeAnswers(jobPrefix: SessionNames(sessionID: id).jobPrefix, definitionPrefix: owner + "-")
        #expect(answers.jobs >= jobs, "every job of the session was described (\(answers.jobs))")
        #expect(answers.definitions >= 1, "its job definitions were described")
        for value in values {
            #expect(!answers.text.contains(value), "a secret value is readable in DescribeJobs/DescribeJobDefinitions answers")
        }
        // The plain variable still travels as before: the check above looks at the right answers.
        #expect(answers.text.contains("plain-value"))
    }

    @Test("a secret variable reaches the command and its helper jobs, and no DescribeJobs or DescribeJobDefinitions answer carries it, before or after a resume with a new value")
    func secretNeverInBatchAnswers() async throws {
        let moto = try MotoFixture.start()
        let owner = "sc\(Self.tag())"
        var configuration = moto.configuration(owner: owner)
        configuration.executionRoleArn = "arn:aws:iam::123456789012:role/sessiongw-secrets-reader"
        let provider = try moto.provider(configuration)
        let id = SessionID(rawValue: "secret-\(Self.tag())")
        let names = SessionNames(sessionID: id)
        let first = "first-\(UUID().uuidString)"
        let created = try await provider.createSession(Self.request(id, token: first))
        defer { Task { try? await provider.deleteSession(created.handle) } }
        let running = try await provider.waitForStatus(created.handle, timeout: .seconds(40)) { $0.state == .running || $0.state == .failed }
        try #require(running.state == .running, "\(running.reason)")

        try Self.expectNoLeak(moto, id, owner: owner, values: [first], jobs: 1)
        #expect(try await Self.homeFile(moto, id, "seen-token") == first, "the command sees the secret variable")
        #expect(try await Self.homeFile(moto, id, "seen-mode") == "plain-value")
        let properties = try moto.containerProperties(ofJobNamed: names.sessionJob(attempt: 1))
        let secrets = properties["secrets"] as? [[String: String]] ?? []
        #expect(secrets.map { $0["name"] } == ["API_TOKEN"], "\(secrets)")
        #expect(secrets.allSatisfy { $0["valueFrom"]?.hasPrefix("arn:aws:secretsmanager:") == true && $0["valueFrom"]?.hasSuffix(":API_TOKEN::") == true }, "\(secrets)")
        #expect(properties["executionRoleArn"] as? String == configuration.executionRoleArn)
        #expect(try moto.secrets(session: id.rawValue).count == 1, "one secret holds the session's secret variables")

        // A helper job (execute) runs from the same definition and sees it too.
        let executed = try await provider.execute(["/bin/sh", "-c", "printf %s \"$API_TOKEN\" | wc -c"], in: created.handle)
        #expect(executed.exitCode == 0 && executed.output.trimmingCharacters(in: .whitespacesAndNewlines) == String(first.utf8.count), "\(executed)")

        // Pause, then resume with a changed value: the command sees the new one.
        _ = try await provider.pauseSession(created.handle)
        let paused = try await provider.waitForStatus(created.handle, timeout: .seconds(40)) { $0.state == .paused || $0.state == .failed }
        try #require(paused.state == .paused, "\(paused.reason)")
        let second = "second-\(UUID().uuidString)"
        try? FileManager.default.removeItem(atPath: "\(moto.efsRoot)/\(moto.fileSystemID)\(names.rootDirectory)/seen-token")
        let resumed = try await provider.resumeSession(created.handle, request: Self.request(id, token: second))
        let again = try await provider.waitForStatus(resumed.handle, timeout: .seconds(40)) { $0.state == .running || $0.state == .failed }
        try #require(again.state == .running, "\(again.reason)")
        #expect(try await Self.homeFile(moto, id, "seen-token") == second, "the resumed command sees the current value")
        try Self.expectNoLeak(moto, id, owner: owner, values: [first, second], jobs: 3)
        #expect(try moto.secrets(session: id.rawValue).count == 1)

        try await provider.deleteSession(created.handle)
        #expect(try moto.secrets(session: id.rawValue) == [])
    }

    @Test("deleting a session deletes its secret in Secrets Manager; a secret without a session is listed as an orphan and deleted with it")
    func deleteRemovesSecrets() async throws {
        let moto = try MotoFixture.start()
        let owner = "sd\(Self.tag())"
        let provider = try moto.provider(moto.configuration(owner: owner))

        let id = SessionID(rawValue: "secret-del-\(Self.tag())")
        let created = try await provider.createSession(Self.request(id, token: "delete-me-\(UUID().uuidString)"))
        #expect(try moto.secrets(session: id.rawValue).count == 1, "the session's secret exists while the session does")
        try await provider.deleteSession(created.handle)
        #expect(try moto.secrets(session: id.rawValue) == [], "ListSecrets shows none for the deleted session")

        // A session whose access point and jobs are gone but whose secret is not (a
        // gateway that stopped half-way through a delete): the orphan sweep finds it.
        let orphan = SessionID(rawValue: "secret-orphan-\(Self.tag())")
        let leftover = try await provider.createSession(Self.request(orphan, token: "orphan-\(UUID().uuidString)"))
        for job in try moto.jobs(prefix: SessionNames(sessionID: orphan).jobPrefix) where JobObservation.isActive(job.status) {
            _ = try moto.boto("""
                ids = [j["jobId"] for j in batch.list_jobs(jobQueue='\(moto.jobQueue)', filters=[{"name": "JOB_NAME", "values": ['\(job.name)']}])["jobSummaryList"]]
                for i in ids: batch.terminate_job(jobId=i, reason="removed outside the gateway")
                print("null")
                """)
        }
        let accessPoint = try BatchHandle(leftover.handle).accessPointID ?? ""
        _ = try moto.boto("efs.delete_access_point(AccessPointId='\(accessPoint)'); print('null')")
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, try moto.jobs(prefix: SessionNames(sessionID: orphan).jobPrefix).contains(where: { JobObservation.isActive($0.status) }) {
            try await Task.sleep(for: .milliseconds(100))
        }
        let listed = try await provider.listSessions().filter { $0.sessionID == orphan }
        #expect(listed.count == 1, "the leftover secret is reported: \(listed)")
        for status in listed { try await provider.deleteSession(status.handle) }
        #expect(try moto.secrets(session: orphan.rawValue) == [])
        #expect(try await provider.listSessions().isEmpty)
    }

    @Test("the executionRoleArn setting is read; a secret variable whose name has ':' is refused")
    func settings() async throws {
        let configuration = try AWSBatchProvider.Configuration(settings: [
            "region": "eu-west-1", "jobQueue": "q", "fileSystemId": "fs-1", "homeMountPath": "/workspace", "checkpointBucket": "b",
            "executionRoleArn": "arn:aws:iam::123456789012:role/reader", "secretsManagerEndpoint": "http://127.0.0.1:1",
        ], environment: [:])
        #expect(configuration.executionRoleArn == "arn:aws:iam::123456789012:role/reader")
        #expect(configuration.serviceEndpoints["secretsmanager"] == "http://127.0.0.1:1")
        let provider = try AWSBatchProvider(configuration: configuration, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        var request = MotoFixture.request(SessionID(rawValue: "s"))
        request.environment = ["A:B": "x"]
        request.secretNames = ["A:B"]
        let error = #expect(throws: SessionError.self) { try provider.validate(request) }
        #expect(error?.code == .invalidArgument)
        #expect(error.map { !"\($0)".contains("x\"") } == true)
    }
}
