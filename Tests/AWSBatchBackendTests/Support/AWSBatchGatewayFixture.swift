import AWSBatchBackend
import Foundation
import Logging
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import SessionTestSupport
import Testing

/// A gateway in this process whose one compute environment is the AWS Batch backend on
/// moto (`backend: awsbatch` with its settings), with a preset, on a Unix socket, called
/// through a real ``RPCClient`` with the administrator token.
///
/// The backend reads its keys from the shared credentials file as configured gateways
/// do: a profile in a file of the fixture (`AWS_SHARED_CREDENTIALS_FILE` is set for the
/// process; only this fixture's providers read it).
enum AWSBatchGatewayFixture {
    /// The preset's command: serves the home over HTTP on `$SESSION_PORT`.
    static let command = ["/bin/sh", "-c", "exec python3 -m http.server \"$SESSION_PORT\" --bind 127.0.0.1"]

    /// Runs `body` with a gateway on moto, configured further by `configure`, then stops
    /// it and removes its directory.
    static func run<Result: Sendable>(
        configure: (inout GatewayConfiguration) -> Void = { _ in },
        _ body: (InProcessGateway, MotoFixture) async throws -> Result
    ) async throws -> Result {
        let moto = try MotoFixture.start()
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let directory = "/tmp/sessiongw-aws-e2e-\(tag)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let credentials = "/tmp/sessiongw-aws-e2e-credentials"
        try "[sessiongw-moto-e2e]\naws_access_key_id = e2e\naws_secret_access_key = testing\n"
            .write(toFile: credentials, atomically: true, encoding: .utf8)
        setenv("AWS_SHARED_CREDENTIALS_FILE", credentials, 1)
        let settings = [
            "region": moto.region, "jobQueue": moto.jobQueue, "fileSystemId": moto.fileSystemID, "homeMountPath": "/workspace",
            "workDirectory": "/scratch", "checkpointBucket": moto.bucket, "endpoint": moto.endpoint, "profile": "sessiongw-moto-e2e",
            "sessionPort": "0", "advertiseHost": "127.0.0.1", "owner": "e2e\(tag)", "maxAttempts": "4", "helperJobTimeoutSeconds": "60",
            // moto's jobs run as local processes that see this machine's files: the
            // "image" holds the agent built beside the tests, on a free port.
            "agentPath": SessionAgentLaunch.besideRunningProgram() ?? "/missing/sessiongw-agent", "agentPort": "0",
        ]
        let environment = ComputeEnvironment(
            id: "aws", backend: "awsbatch", pools: [moto.jobQueue], defaultPool: moto.jobQueue, writableBuckets: [moto.dataFileSystemID])
        let preset = Preset(
            id: "terminal", displayName: "Shell on AWS Batch", ideKind: .terminal,
            images: [Preset.Image(name: "python", reference: "python:3.12", tag: .recommended)],
            podSizes: [Preset.PodSize(name: "small", resources: Resources(cpuMillis: 500, memoryBytes: 256 << 20))],
            defaultPodSize: "small", command: command, defaultHomeVolumeBytes: 1 << 30)
        var configuration = GatewayConfiguration(
            listen: ["unix:\(directory)/gateway.sock"], dataDirectory: directory + "/data", reconcileInterval: .seconds(1),
            checkpointInterval: .seconds(300),
            environments: [.init(environment: environment, backend: .builtIn(kind: "awsbatch", settings: settings))], presets: [preset])
        configuration.access = .init()
        configure(&configuration)
        let logger = Logger(label: "aws-e2e") { _ in SwiftLogNoOpLogHandler() }
        return try await InProcessGateway.serve(
            configuration: configuration, backends: [AWSBatchProvider.factory(logger: logger)], logger: logger
        ) { gateway in
            try await body(gateway, moto)
        }
    }
}

extension InProcessGateway {
    /// `CreateDataLink`.
    func createDataLink(name: String, location: String) async throws -> V1DataLink {
        try await dataLinks.createDataLink(V1CreateDataLinkRequest(name: name, location: location))
    }

    /// `CreateSession` from the preset on the `aws` environment with a new 1 GiB home.
    func create(_ name: String, dataLinkIDs: [String]) async throws -> V1Session {
        try await sessions.createSession(V1CreateSessionRequest(
            name: name,
            spec: V1SessionSpec(
                preset: "terminal", image: "python", computeEnvironment: "aws",
                homeVolume: V1HomeVolume(source: .newSizeBytes(1 << 30)), dataLinkIDs: dataLinkIDs)))
    }

    /// A file of the session's home, from its IDE (the home served over HTTP), the way a
    /// user reaches it (``withIDELink(to:path:_:)``).
    func fetch(_ path: String, of id: String) async throws -> String {
        try await withIDELink(to: id, path: path) { url, headers in
            String(decoding: try TestTools.run(["curl", "-sSf", "-m", "10", "-H", "@\(headers)", url]), as: UTF8.self)
        }
    }
}
