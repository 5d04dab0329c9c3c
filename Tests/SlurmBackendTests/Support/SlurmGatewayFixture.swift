import Foundation
import Logging
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import SessionTestSupport
import SlurmBackend
import Testing

/// A gateway configuration whose one compute environment is the Slurm backend on the
/// real test cluster (`backend: slurm` with its settings), with a preset; gateways
/// started from it run in this process on a Unix socket and are called through a real
/// ``RPCClient`` with the administrator token.
///
/// Each fixture has its own gateway data directory, its own area of the cluster's
/// shared directory and its own job name prefix; afterwards every job with the prefix
/// is cancelled and both directories are removed.
struct SlurmGatewayFixture: Sendable {
    /// The gateway's configuration.
    let configuration: GatewayConfiguration
    /// The backend's area of the cluster's shared directory.
    let sharedDirectory: String
    /// The backend's job name prefix.
    let jobNamePrefix: String

    /// A gateway running in this process.
    typealias Running = InProcessGateway

    /// The preset's command: it records when the home was first used in `notes.txt`
    /// (kept across pause and resume), waits two seconds, then serves the home over
    /// HTTP on `$SESSION_PORT`.
    static let command = [
        "/bin/sh", "-c",
        "[ -f notes.txt ] || echo \"first started $(date +%s%N)\" > notes.txt; sleep 2; "
            + "exec /usr/bin/python3 -m http.server \"$SESSION_PORT\" --bind 0.0.0.0",
    ]

    /// Runs `body` with a fixture on the started cluster; cleans up also when it throws.
    static func run<Result: Sendable>(_ body: (SlurmGatewayFixture) async throws -> Result) async throws -> Result {
        let cluster = try SlurmTestCluster.start()
        let tag = String(UUID().uuidString.lowercased().filter(\.isLetter).prefix(6))
        let dataDirectory = "/tmp/sessiongw-slurm-e2e-\(tag)"
        let shared = "\(cluster.environment["SLURM_SHARED_DIR"]!)/g-\(tag)"
        let prefix = "g\(tag)"
        let settings = [
            "url": cluster.environment["SLURM_REST_URL"]!, "user": cluster.environment["SLURM_REST_USER"]!,
            "tokenFile": cluster.environment["SLURM_REST_TOKEN_FILE"]!, "sharedDirectory": shared,
            "jobNamePrefix": prefix, "pollInterval": "250ms", "requestSpacing": "5ms", "readinessTimeout": "60s",
        ]
        let environment = ComputeEnvironment(
            id: "hpc", backend: "slurm", pools: ["interactive", "tiny"], defaultPool: "interactive")
        let preset = Preset(
            id: "notebook", displayName: "Python notebook on Slurm", ideKind: .jupyterLab,
            images: [Preset.Image(name: "python3", reference: "python3", tag: .recommended)],
            podSizes: [Preset.PodSize(name: "small", resources: Resources(cpuMillis: 1000, memoryBytes: 256 << 20))],
            defaultPodSize: "small", command: command, defaultHomeVolumeBytes: 1 << 30)
        var configuration = GatewayConfiguration(
            listen: ["unix:\(dataDirectory)/gateway.sock"], dataDirectory: dataDirectory + "/data",
            reconcileInterval: .seconds(1), checkpointInterval: .seconds(300),
            environments: [.init(environment: environment, backend: .builtIn(kind: "slurm", settings: settings))],
            presets: [preset])
        configuration.access = .init()
        let fixture = SlurmGatewayFixture(configuration: configuration, sharedDirectory: shared, jobNamePrefix: prefix)
        defer {
            for line in (try? fixture.liveJobs()) ?? [] {
                _ = try? SlurmTestCluster.run(["scancel", String(line.split(separator: " ")[0])])
            }
            try? FileManager.default.removeItem(atPath: shared)
            try? FileManager.default.removeItem(atPath: dataDirectory)
        }
        return try await body(fixture)
    }

    /// Starts a gateway on the configuration, runs `body` with it, and stops it. Called
    /// again, it starts a new gateway on the same store: a restart.
    func serve<Result: Sendable>(_ body: (Running) async throws -> Result) async throws -> Result {
        let logger = Logger(label: "slurm-e2e") { _ in SwiftLogNoOpLogHandler() }
        return try await InProcessGateway.serve(
            configuration: configuration, backends: [SlurmProvider.factory(logger: logger)], logger: logger, body)
    }

    /// Jobs with this fixture's prefix that Slurm still runs or queues, by `squeue`:
    /// `ID NAME STATE`.
    func liveJobs() throws -> [String] {
        let result = try SlurmTestCluster.run(["squeue", "-h", "-o", "%i %j %T"])
        guard result.status == 0 else { throw SessionError(.unavailable, "squeue failed: \(result.output)") }
        return result.output.split(separator: "\n").map(String.init).filter { $0.contains(" \(jobNamePrefix)-") }
    }
}

extension InProcessGateway {
    /// A file from the session's IDE (its home served over HTTP), the way a user
    /// reaches it (``withIDELink(to:path:_:)``).
    func fetch(_ path: String, of id: String) async throws -> String {
        try await withIDELink(to: id, path: path) { url, headers in
            let result = try SlurmTestCluster.run(["curl", "-sSf", "-m", "10", "-H", "@\(headers)", url])
            try #require(result.status == 0, "GET \(url): \(result.output)")
            return result.output
        }
    }

    /// `CreateSession` from the preset on the `hpc` environment.
    func create(_ name: String, pool: String = "") async throws -> V1Session {
        try await sessions.createSession(V1CreateSessionRequest(
            name: name, spec: V1SessionSpec(preset: "notebook", image: "python3", computeEnvironment: "hpc", computePool: pool)))
    }
}
