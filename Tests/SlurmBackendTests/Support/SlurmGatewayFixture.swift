import Foundation
import Logging
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
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
    struct Running: Sendable {
        let gateway: Gateway
        let client: RPCClient

        /// `authorization` metadata with the administrator token.
        var admin: Metadata { ["authorization": .string("Bearer \(gateway.adminToken.value)")] }
    }

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
        try FileManager.default.createDirectory(
            atPath: (configuration.dataDirectory as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let logger = Logger(label: "slurm-e2e") { _ in SwiftLogNoOpLogHandler() }
        let gateway = try await Gateway(configuration: configuration, backends: [SlurmProvider.factory(logger: logger)], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            let address = try await gateway.listeningAddresses()[0]
            let client = RPCClient(target: try #require(RPCClient.Target(address: address)))
            let result: Swift.Result<Result, any Error>
            do {
                result = .success(try await body(Running(gateway: gateway, client: client)))
            } catch {
                result = .failure(error)
            }
            await client.close()
            group.cancelAll()
            try? await group.waitForAll()
            return try result.get()
        }
    }

    /// Jobs with this fixture's prefix that Slurm still runs or queues, by `squeue`:
    /// `ID NAME STATE`.
    func liveJobs() throws -> [String] {
        let result = try SlurmTestCluster.run(["squeue", "-h", "-o", "%i %j %T"])
        guard result.status == 0 else { throw SessionError(.unavailable, "squeue failed: \(result.output)") }
        return result.output.split(separator: "\n").map(String.init).filter { $0.contains(" \(jobNamePrefix)-") }
    }
}

extension SlurmGatewayFixture.Running {
    /// A file from the session's IDE (its home served over HTTP), the way a user
    /// reaches it: a link from `GetSessionConnection`, its ticket sent as a bearer
    /// credential to the gateway's connection proxy from a 0600 headers file, so that
    /// the ticket is on no command line and in no message.
    func fetch(_ path: String, of id: String) async throws -> String {
        let link = try await client.unary(
            SessionServiceMethods.getSessionConnection, request: V1GetSessionConnectionRequest(sessionID: id), metadata: admin
        ).message
        var components = try #require(URLComponents(string: link.url))
        components.query = nil
        components.path += path
        let url = try #require(components.string)
        let headers = FileManager.default.temporaryDirectory.appendingPathComponent("sessiongw-link-\(UUID().uuidString)").path
        try #require(FileManager.default.createFile(
            atPath: headers, contents: Data("Authorization: Bearer \(link.accessToken)\n".utf8), attributes: [.posixPermissions: 0o600]))
        defer { try? FileManager.default.removeItem(atPath: headers) }
        let result = try SlurmTestCluster.run(["curl", "-sSf", "-m", "10", "-H", "@\(headers)", url])
        try #require(result.status == 0, "GET \(url): \(result.output)")
        return result.output
    }

    func create(_ name: String, pool: String = "") async throws -> V1Session {
        try await client.unary(
            SessionServiceMethods.createSession,
            request: V1CreateSessionRequest(
                name: name, spec: V1SessionSpec(preset: "notebook", image: "python3", computeEnvironment: "hpc", computePool: pool)),
            metadata: admin
        ).message
    }

    func get(_ id: String) async throws -> V1Session {
        try await client.unary(
            SessionServiceMethods.getSession, request: V1GetSessionRequest(sessionID: id), metadata: admin
        ).message
    }

    func pause(_ id: String) async throws {
        _ = try await client.unary(
            SessionServiceMethods.pauseSession, request: V1PauseSessionRequest(sessionID: id), metadata: admin)
    }

    func resume(_ id: String) async throws {
        _ = try await client.unary(
            SessionServiceMethods.resumeSession, request: V1ResumeSessionRequest(sessionID: id), metadata: admin)
    }

    func delete(_ id: String) async throws {
        _ = try await client.unary(
            SessionServiceMethods.deleteSession, request: V1DeleteSessionRequest(sessionID: id, force: true), metadata: admin)
    }

    /// Polls the session until `accept` holds; returns every state seen on the way, in
    /// order, and the last session.
    func wait(
        _ id: String, timeout: Duration = .seconds(60), until accept: (V1Session) -> Bool
    ) async throws -> (states: [V1SessionState], session: V1Session) {
        let deadline = ContinuousClock.now + timeout
        var states: [V1SessionState] = []
        var last: V1Session?
        while ContinuousClock.now < deadline {
            let session = try await get(id)
            if states.last != session.state { states.append(session.state) }
            last = session
            if accept(session) { return (states, session) }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("session \(id) did not get there within \(timeout); states \(states), last: \(String(describing: last))")
        throw CancellationError()
    }

    /// Polls until the gateway no longer knows the session (NOT_FOUND).
    func waitUntilGone(_ id: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            do {
                _ = try await get(id)
            } catch let error as RPCError where error.code == .notFound {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("session \(id) still exists \(timeout) after it was deleted")
    }
}
