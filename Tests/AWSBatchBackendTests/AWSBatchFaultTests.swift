@testable import AWSBatchBackend
import Foundation
import Logging
import SessionSDK
import Testing

/// The backend when AWS misbehaves, on moto with injected faults (see ``MotoFaults``):
/// lost answers, throttling, an unreachable endpoint, jobs killed behind the gateway's
/// back and jobs that never get capacity.
@Suite("AWS Batch backend under faults, on moto")
struct AWSBatchFaultTests {
    /// A fresh tag for names.
    static func tag() -> String { String(UInt32.random(in: 0...UInt32.max), radix: 36) }

    /// The fixture's configuration with its own owner and an access key of its own.
    static func configuration(_ moto: MotoFixture, key: String) -> AWSBatchProvider.Configuration {
        var configuration = moto.configuration(owner: "ft\(tag())")
        configuration.credentials = .fixed(AWSCredentials(accessKeyID: key, secretAccessKey: "testing"))
        return configuration
    }

    @Test("a create whose SubmitJob answer is lost, then retried, at once and by a new instance, starts exactly one job")
    func lostSubmitAnswer() async throws {
        let moto = try MotoFixture.start()
        let key = "lost\(Self.tag())"
        var configuration = Self.configuration(moto, key: key)
        configuration.requestTimeout = .seconds(1)
        let faults = MotoFaults(endpoint: moto.endpoint, accessKey: key)
        // moto starts the job, but its answer comes after the client has given up.
        try faults.delay("/v1/submitjob", count: 1, seconds: 2.5)
        let provider = try moto.provider(configuration)
        let id = SessionID(rawValue: "lost-\(Self.tag())")
        let request = MotoFixture.request(id)
        let created = try await provider.createSession(request)
        #expect(try faults.counts().served["/v1/submitjob"] == 1, "the answer was lost once")
        let prefix = SessionNames(sessionID: id).jobPrefix
        #expect(try moto.jobs(prefix: prefix).map(\.name) == ["\(prefix)a1"])

        // The caller did not see the first answer either and retries: twice at once, then
        // through another instance (a restarted gateway).
        async let first = provider.createSession(request)
        async let second = provider.createSession(request)
        let again = try await [first, second]
        let restarted = try moto.provider(configuration)
        let third = try await restarted.createSession(request)
        #expect(Set((again + [third]).map(\.handle)) == [created.handle])
        #expect(try moto.jobs(prefix: prefix).map(\.name) == ["\(prefix)a1"], "one job, whatever was retried")

        try await provider.deleteSession(created.handle)
        #expect(try moto.jobs(prefix: prefix).allSatisfy { !JobObservation.isActive($0.status) })
    }

    @Test("throttling answers are retried until they stop, and reported as UNAVAILABLE when they do not",
          arguments: [(429, "TooManyRequestsException"), (400, "ThrottlingException")])
    func throttling(status: Int, code: String) async throws {
        let moto = try MotoFixture.start()
        let key = "thr\(Self.tag())"
        let configuration = Self.configuration(moto, key: key)
        #expect(configuration.retry.maxAttempts == 4)
        let faults = MotoFaults(endpoint: moto.endpoint, accessKey: key)
        let provider = try moto.provider(configuration)

        try faults.fail("/v1/describejobqueues", count: 3, status: status, code: code)
        let readiness = try await provider.probe()
        #expect(readiness.ready, "\(readiness.message)")
        var counts = try faults.counts()
        #expect(counts.served["/v1/describejobqueues"] == 3, "three throttled attempts, then the fourth succeeded")
        #expect(counts.pending.isEmpty)

        try faults.fail("/v1/describejobqueues", count: 4, status: status, code: code)
        let error = await #expect(throws: SessionError.self) { try await provider.probe() }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains(code) == true && error?.message.contains("retry later") == true, "\(error?.message ?? "")")
        counts = try faults.counts()
        #expect(counts.served["/v1/describejobqueues"] == 7, "every attempt was made before giving up")
    }

    @Test("an endpoint nothing listens on gives UNAVAILABLE, without the secret in the message")
    func unreachable() async throws {
        var configuration = AWSBatchProvider.Configuration(
            region: "eu-west-1", jobQueue: "sessions", fileSystemID: "fs-12345678", homeMountPath: "/workspace", checkpointBucket: "b",
            endpoint: "http://127.0.0.1:\(try TestTools.closedPort())",
            credentials: .fixed(AWSCredentials(accessKeyID: "AKIDUNREACHABLE", secretAccessKey: "do-not-print-this-secret")))
        configuration.retry = .init(maxAttempts: 2, baseDelay: .milliseconds(10), maxDelay: .milliseconds(20))
        // The HTTP client keeps reconnecting until a request's deadline: each attempt lasts this long.
        configuration.requestTimeout = .seconds(2)
        let provider = try AWSBatchProvider(configuration: configuration, logger: Logger(label: "unreachable") { _ in SwiftLogNoOpLogHandler() })
        let probe = await #expect(throws: SessionError.self) { try await provider.probe() }
        #expect(probe?.code == .unavailable)
        #expect(probe?.message.contains("cannot reach AWS Batch at http://127.0.0.1:") == true, "\(probe?.message ?? "")")
        let create = await #expect(throws: SessionError.self) {
            try await provider.createSession(MotoFixture.request(SessionID(rawValue: "unreachable")))
        }
        #expect(create?.code == .unavailable)
        for error in [probe, create].compactMap({ $0 }) {
            #expect(!"\(error)".contains("do-not-print-this-secret") && !error.message.contains("do-not-print-this-secret"))
        }
    }

    @Test("a job killed outside the gateway takes the session out of RUNNING, with the reason")
    func killedOutside() async throws {
        let moto = try MotoFixture.start()
        let provider = try moto.provider(Self.configuration(moto, key: "kill\(Self.tag())"))
        let id = SessionID(rawValue: "killed-\(Self.tag())")
        var request = MotoFixture.request(id)
        request.environment[Preset.baseURLVariable] = "/sessions/default/\(id)/"
        let created = try await provider.createSession(request)
        let running = try await provider.waitForStatus(created.handle) { $0.state == .running || $0.state == .failed }
        try #require(running.state == .running, "\(running.reason)")
        #expect(
            running.connection?.url.contains("/sessions/default/\(id)/?token=") == true,
            "the connection URL is not at the IDE's base path: \(running.connection?.url ?? "none")")

        // An operator terminates the job with boto3.
        let prefix = SessionNames(sessionID: id).jobPrefix
        _ = try moto.boto("""
            ids = [j["jobId"] for j in batch.list_jobs(jobQueue=\(MotoFixture.python(moto.jobQueue)), filters=[{"name": "JOB_NAME", "values": [\(MotoFixture.python(prefix)) + "*"]}])["jobSummaryList"]]
            for i in ids: batch.terminate_job(jobId=i, reason="operator: host retired for maintenance")
            print(json.dumps(ids))
            """)
        let after = try await provider.waitForStatus(created.handle) { $0.state != .running && $0.state != .starting }
        #expect(after.state == .failed)
        #expect(after.reason.contains("operator: host retired for maintenance"), "\(after.reason)")
        #expect(after.connection == nil)
        try await provider.deleteSession(created.handle)
    }

    @Test("a job stuck RUNNABLE shows the capacity reason, then the session gives up after the configured time")
    func stuckRunnable() async throws {
        let moto = try MotoFixture.start()
        var configuration = Self.configuration(moto, key: "cap\(Self.tag())")
        configuration.runnableTimeout = .seconds(3)
        let provider = try moto.provider(configuration)
        let id = SessionID(rawValue: "stuck-\(Self.tag())")
        var request = MotoFixture.request(id)
        request.resources.cpuMillis = 65_000  // more than the harness's 64 vCPUs, within maxVCPUs
        let started = ContinuousClock.now
        let created = try await provider.createSession(request)
        let waiting = try await provider.waitForStatus(created.handle) { $0.reason.contains("CAPACITY:") || $0.state == .failed }
        #expect(waiting.state == .pending)
        #expect(waiting.reason.contains("waiting for capacity in job queue '\(moto.jobQueue)': CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY"), "\(waiting.reason)")

        let failed = try await provider.waitForStatus(created.handle, timeout: .seconds(20)) { $0.state == .failed }
        #expect(ContinuousClock.now - started >= .seconds(3), "not before the configured time")
        #expect(failed.state == .failed)
        #expect(failed.reason.hasPrefix("sessiongw: gave up waiting for capacity after 3 s"), "\(failed.reason)")
        #expect(failed.reason.contains("CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY"), "\(failed.reason)")
        // The job was terminated, and the session stays FAILED with the same reason.
        let prefix = SessionNames(sessionID: id).jobPrefix
        let deadline = ContinuousClock.now + .seconds(10)
        while try moto.jobs(prefix: prefix).contains(where: { JobObservation.isActive($0.status) }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try moto.jobs(prefix: prefix).map(\.status) == ["FAILED"])
        let later = try await provider.describeSession(created.handle)
        #expect(later.state == .failed && later.reason.hasPrefix("sessiongw: gave up waiting for capacity"), "\(later.reason)")
        try await provider.deleteSession(created.handle)
    }
}
