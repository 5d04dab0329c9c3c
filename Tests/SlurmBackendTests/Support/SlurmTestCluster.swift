import Foundation
import Logging
import SessionConformance
import SessionSDK
import SlurmBackend

/// The real single-node Slurm cluster the tests use, started (idempotently) by
/// `scripts/slurm-cluster.sh start`, and a fresh area of its shared directory with its
/// own job name prefix for each fixture. Nothing here fakes Slurm: a test that cannot
/// start or reach the cluster fails.
struct SlurmTestCluster: Sendable {
    /// The package's root directory.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// What `slurm-cluster.sh start` printed: SLURM_REST_URL, SLURM_REST_USER, ...
    let environment: [String: String]

    /// Starts the cluster (a no-op when it runs) and reads its settings.
    static func start() throws -> SlurmTestCluster {
        let result = try run(["\(packageRoot)/scripts/slurm-cluster.sh", "start"])
        guard result.status == 0 else {
            throw SessionError(.unavailable, "scripts/slurm-cluster.sh start failed (\(result.status)): \(result.output)")
        }
        var environment: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { environment[String(parts[0])] = String(parts[1]) }
        }
        guard environment["SLURM_REST_URL"] != nil, environment["SLURM_SHARED_DIR"] != nil else {
            throw SessionError(.unavailable, "scripts/slurm-cluster.sh start printed no settings: \(result.output)")
        }
        return SlurmTestCluster(environment: environment)
    }

    /// Runs the cluster script with another command (`controller-stop`, ...).
    static func script(_ command: String) throws {
        let result = try run(["\(packageRoot)/scripts/slurm-cluster.sh", command])
        guard result.status == 0 else {
            throw SessionError(.internalError, "slurm-cluster.sh \(command) failed: \(result.output)")
        }
    }

    /// Sets `node` DOWN with `reason`, runs `body`, and returns the node to service
    /// afterwards, also when `body` throws, so that later tests still have a node.
    static func withNodeDown<Result>(
        _ node: String, reason: String, _ body: () async throws -> Result
    ) async throws -> Result {
        let down = try run(["scontrol", "update", "nodename=\(node)", "state=down", "reason=\(reason)"])
        guard down.status == 0 else {
            try? await resume(node)
            throw SessionError(.internalError, "scontrol could not set node \(node) DOWN: \(down.output)")
        }
        let result: Result
        do {
            result = try await body()
        } catch {
            try? await resume(node)
            throw error
        }
        try await resume(node)
        return result
    }

    /// Resumes `node` (Slurm refuses that for a node already back in service, which the
    /// cluster's `ReturnToService=2` may have done) and waits until it takes jobs.
    static func resume(_ node: String) async throws {
        _ = try run(["scontrol", "update", "nodename=\(node)", "state=resume"])
        var state = ""
        for _ in 0..<150 {
            state = try run(["sinfo", "-h", "-n", node, "-o", "%t"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
            if ["idle", "mix", "alloc"].contains(where: state.hasPrefix) { return }
            if state.hasPrefix("down") || state.hasPrefix("drain") {
                _ = try run(["scontrol", "update", "nodename=\(node)", "state=resume"])
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw SessionError(.unavailable, "node \(node) is '\(state)' 30 s after it was resumed")
    }

    /// Runs a program, returning its exit status and standard output (standard error
    /// is appended for failures).
    @discardableResult
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var text = String(decoding: data, as: UTF8.self)
        if process.terminationStatus != 0 { text += String(decoding: errorData, as: UTF8.self) }
        return (process.terminationStatus, text)
    }
}

/// A Slurm provider on a fresh directory of the cluster's shared filesystem, with its
/// own job name prefix, the buckets the conformance data-link cases mount, and
/// clean-up of every job and file afterwards.
struct SlurmFixture: Sendable {
    let directory: String
    let configuration: SlurmProvider.Configuration
    let provider: SlurmProvider
    /// The cluster's one node (`SLURM_NODE`).
    let node: String

    static let environment = ComputeEnvironment(id: "slurm-ce", backend: "slurm", writableBuckets: ["team-scratch"])

    /// Runs `body` with a fixture whose configuration `configure` may change; cleans up
    /// also when it throws.
    static func run<Result: Sendable>(
        configure: (inout SlurmProvider.Configuration) -> Void = { _ in }, _ body: (SlurmFixture) async throws -> Result
    ) async throws -> Result {
        let cluster = try SlurmTestCluster.start()
        let tag = String(UUID().uuidString.lowercased().filter(\.isLetter).prefix(6))
        let directory = "\(cluster.environment["SLURM_SHARED_DIR"]!)/t-\(tag)"
        var configuration = SlurmProvider.Configuration(url: cluster.environment["SLURM_REST_URL"]!, sharedDirectory: directory)
        configuration.user = cluster.environment["SLURM_REST_USER"]
        configuration.tokenFile = cluster.environment["SLURM_REST_TOKEN_FILE"]
        configuration.jobNamePrefix = "t\(tag)"
        configuration.pollInterval = .milliseconds(250)
        configuration.requestSpacing = .milliseconds(5)
        configuration.requestTimeout = .seconds(5)
        configuration.executeTimeout = .seconds(30)
        configure(&configuration)
        let fixture = SlurmFixture(
            directory: directory, configuration: configuration, provider: try makeProvider(configuration),
            node: cluster.environment["SLURM_NODE"] ?? "")
        try fixture.makeBuckets()
        do {
            let result = try await body(fixture)
            await fixture.tearDown()
            return result
        } catch {
            await fixture.tearDown()
            throw error
        }
    }

    static func makeProvider(_ configuration: SlurmProvider.Configuration) throws -> SlurmProvider {
        try SlurmProvider(configuration: configuration, logger: Logger(label: "slurm-tests") { _ in SwiftLogNoOpLogHandler() })
    }

    /// A new instance on the same cluster and directory, as after a restart.
    func restartedProvider() throws -> SlurmProvider { try Self.makeProvider(configuration) }

    /// A request whose command serves `/workspace` over HTTP on `$SESSION_PORT`.
    static func request(_ id: SessionID) -> ProviderSessionRequest {
        ProviderSessionRequest(
            sessionID: id, workspace: .default, name: id.rawValue, ideKind: .terminal, image: "python3",
            command: ["/bin/sh", "-c", "exec /usr/bin/python3 -m http.server \"$SESSION_PORT\" --bind 0.0.0.0"],
            resources: Resources(cpuMillis: 500, memoryBytes: 256 << 20), homeVolume: .new(sizeBytes: 1 << 30))
    }

    /// The conformance suite's configuration for this fixture.
    func conformanceConfiguration() throws -> ConformanceSuite.Configuration {
        var suite = ConformanceSuite.Configuration(provider: provider, makeRequest: Self.request)
        suite.dataLinks = try ConformanceDataLinks(
            writable: DataLink(
                id: "dl-scratch", workspace: .default, name: "scratch",
                location: try DataLinkRules.parseLocation("s3://team-scratch/projects/a")),
            readOnly: DataLink(
                id: "dl-genomes", workspace: .default, name: "genomes",
                location: try DataLinkRules.parseLocation("s3://reference-data/genomes")),
            in: Self.environment, outsideEntry: "secret.txt")
        suite.missingReferenceRequest = { id in
            var request = Self.request(id)
            request.homeVolume = .existing("no-such-volume")
            return request
        }
        let configuration = self.configuration
        suite.restart = ProviderRestart { try Self.makeProvider(configuration) }
        suite.timeouts.running = .seconds(60)
        suite.timeouts.paused = .seconds(30)
        suite.timeouts.endpoint = .seconds(3)
        suite.timeouts.probe = .seconds(5)
        suite.timeouts.testCase = .seconds(120)
        suite.timeouts.pollInterval = .milliseconds(100)
        return suite
    }

    private func makeBuckets() throws {
        let buckets = configuration.bucketsDirectory
        for (path, text) in [
            ("reference-data/genomes/hg38.txt", "ACGT"), ("team-scratch/projects/a/input.txt", "input"),
            ("team-scratch/projects/secret.txt", "do not read"),
        ] {
            let file = "\(buckets)/\(path)"
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }
    }

    /// Jobs of this fixture that Slurm still runs or queues, by `squeue`.
    func liveJobs() throws -> [String] {
        let result = try SlurmTestCluster.run(["squeue", "-h", "-o", "%i %j %T"])
        return result.output.split(separator: "\n").map(String.init).filter { $0.contains(" \(configuration.jobNamePrefix)-") }
    }

    /// Deletes every session, cancels what is left with the fixture's prefix, and
    /// removes the directory.
    func tearDown() async {
        if let provider = try? restartedProvider() {
            for status in (try? await provider.listSessions()) ?? [] {
                try? await provider.deleteSession(status.handle)
            }
        }
        if let jobs = try? liveJobs() {
            for line in jobs { _ = try? SlurmTestCluster.run(["scancel", String(line.split(separator: " ")[0])]) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
