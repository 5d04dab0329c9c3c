@testable import AWSBatchBackend
import Foundation
import Logging
import SessionConformance
import SessionSDK
import SessionTestSupport

/// A moto server on loopback (started by `scripts/moto-server.sh start`, which is
/// idempotent, so the first test to need it starts it and the others reuse it) with
/// the queue, file systems and bucket `scripts/lib/moto_fixture.py` creates, and
/// providers configured for it. A test that cannot start or reach moto fails.
struct MotoFixture: Sendable {
    /// The endpoint, such as `http://127.0.0.1:5123`.
    var endpoint: String
    /// The region.
    var region: String
    /// The job queue.
    var jobQueue: String
    /// The file system of the homes.
    var fileSystemID: String
    /// The file system the EFS data-links point at.
    var dataFileSystemID: String
    /// The checkpoint bucket.
    var bucket: String
    /// The EFS root directory the harness maps file systems to.
    var efsRoot: String

    /// Starts moto (if needed) and creates the fixture's resources.
    static func start() throws -> MotoFixture {
        let started = try TestTools.run([TestTools.repositoryPath("scripts/moto-server.sh"), "start"])
        let endpoint = String(decoding: started, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let efsRoot = ProcessInfo.processInfo.environment["MOTO_EFS_ROOT"]
            ?? "\(ProcessInfo.processInfo.environment["MOTO_STATE_DIR"] ?? "/tmp/sessiongw-moto")/efs"
        let output = try TestTools.run(
            ["python3", TestTools.repositoryPath("scripts/lib/moto_fixture.py"), endpoint], environment: ["MOTO_EFS_ROOT": efsRoot])
        guard let object = try JSONSerialization.jsonObject(with: output) as? [String: String] else {
            throw TestTools.Failure("moto_fixture.py printed no JSON object")
        }
        return MotoFixture(
            endpoint: endpoint, region: object["region"] ?? "eu-west-1", jobQueue: object["jobQueue"] ?? "sessions",
            fileSystemID: object["fileSystemId"] ?? "", dataFileSystemID: object["dataFileSystemId"] ?? "",
            bucket: object["bucket"] ?? "", efsRoot: efsRoot)
    }

    /// The backend's configuration for the fixture: fixed test keys, sessions on a free
    /// loopback port, short polls and back-offs.
    func configuration(owner: String = "sgwtest") -> AWSBatchProvider.Configuration {
        var configuration = AWSBatchProvider.Configuration(
            region: region, jobQueue: jobQueue, fileSystemID: fileSystemID, homeMountPath: "/workspace", checkpointBucket: bucket,
            endpoint: endpoint, credentials: .fixed(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")))
        configuration.owner = owner
        configuration.workDirectory = "/scratch"
        configuration.sessionPort = 0
        configuration.advertiseHost = "127.0.0.1"
        configuration.pollInterval = .milliseconds(50)
        configuration.retry = .init(maxAttempts: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200))
        configuration.helperJobTimeout = .seconds(60)
        configuration.runnableTimeout = .seconds(600)
        return configuration
    }

    /// A provider for the fixture.
    func provider(_ configuration: AWSBatchProvider.Configuration? = nil) throws -> AWSBatchProvider {
        try AWSBatchProvider(
            configuration: configuration ?? self.configuration(), logger: Logger(label: "awsbatch-tests") { _ in SwiftLogNoOpLogHandler() })
    }

    /// The compute environment: the data file system is writable.
    var environment: ComputeEnvironment {
        ComputeEnvironment(id: "aws-ce", backend: "awsbatch", writableBuckets: [dataFileSystemID])
    }

    /// A request whose command serves the home over HTTP on `$SESSION_PORT`.
    static func request(_ id: SessionID) -> ProviderSessionRequest {
        ProviderSessionRequest(
            sessionID: id, workspace: .default, name: id.rawValue, ideKind: .terminal, image: "python:3.12",
            command: ["/bin/sh", "-c", "exec python3 -m http.server \"$SESSION_PORT\" --bind 127.0.0.1"],
            resources: Resources(cpuMillis: 500, memoryBytes: 256 << 20), homeVolume: .new(sizeBytes: 1 << 30))
    }

    /// An EFS data-link writable (scratch/projects/a) and a read-only one (reference/genomes).
    func dataLinks() throws -> ConformanceDataLinks {
        let writable = DataLink(
            id: "dl-scratch", workspace: .default, name: "scratch",
            location: try DataLinkRules.parseLocation("efs://\(dataFileSystemID)/scratch/projects/a"))
        let readOnly = DataLink(
            id: "dl-genomes", workspace: .default, name: "genomes",
            location: try DataLinkRules.parseLocation("efs://\(dataFileSystemID)/reference/genomes"))
        // Both links are on one file system; the read-only one is mounted read-only
        // as a gateway does for a link to a subdirectory it confines.
        return try ConformanceDataLinks(
            writable: DataLinkMount(dataLink: writable, mountPath: DataLinkRules.mountPath(forName: "scratch"), readOnly: false),
            readOnly: DataLinkMount(dataLink: readOnly, mountPath: DataLinkRules.mountPath(forName: "genomes"), readOnly: true),
            outsideEntry: "secret.txt")
    }
}

extension AWSBatchProvider {
    /// Polls the session until `accept` holds (at most `timeout`); returns the last status.
    func waitForStatus(
        _ handle: SessionHandle, timeout: Duration = .seconds(30), until accept: (ProviderSessionStatus) -> Bool
    ) async throws -> ProviderSessionStatus {
        let deadline = ContinuousClock.now + timeout
        var status = try await describeSession(handle)
        while !accept(status) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            status = try await describeSession(handle)
        }
        return status
    }
}
