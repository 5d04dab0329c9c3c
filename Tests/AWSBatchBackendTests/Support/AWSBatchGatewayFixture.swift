import AWSBatchBackend
import Foundation
import Logging
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import Testing

/// A gateway in this process whose one compute environment is the AWS Batch backend on
/// moto (`backend: awsbatch` with its settings), with a preset, on a Unix socket, called
/// through a real ``RPCClient`` with the administrator token.
///
/// The backend reads its keys from the shared credentials file as configured gateways
/// do: a profile in a file of the fixture (`AWS_SHARED_CREDENTIALS_FILE` is set for the
/// process; only this fixture's providers read it).
struct AWSBatchGatewayFixture: Sendable {
    let gateway: Gateway
    let client: RPCClient
    let moto: MotoFixture

    /// `authorization` metadata with the administrator token.
    var admin: Metadata { ["authorization": .string("Bearer \(gateway.adminToken.value)")] }

    /// The preset's command: serves the home over HTTP on `$SESSION_PORT`.
    static let command = ["/bin/sh", "-c", "exec python3 -m http.server \"$SESSION_PORT\" --bind 127.0.0.1"]

    /// Runs `body` with a gateway on moto, then stops it and removes its directory.
    static func run<Result: Sendable>(_ body: (AWSBatchGatewayFixture) async throws -> Result) async throws -> Result {
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
        let logger = Logger(label: "aws-e2e") { _ in SwiftLogNoOpLogHandler() }
        let gateway = try await Gateway(configuration: configuration, backends: [AWSBatchProvider.factory(logger: logger)], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            let address = try await gateway.listeningAddresses()[0]
            let client = RPCClient(target: try #require(RPCClient.Target(address: address)))
            let result: Swift.Result<Result, any Error>
            do {
                result = .success(try await body(AWSBatchGatewayFixture(gateway: gateway, client: client, moto: moto)))
            } catch {
                result = .failure(error)
            }
            await client.close()
            group.cancelAll()
            try? await group.waitForAll()
            return try result.get()
        }
    }

    func createDataLink(name: String, location: String) async throws -> V1DataLink {
        try await client.unary(
            DataLinkServiceMethods.createDataLink, request: V1CreateDataLinkRequest(name: name, location: location), metadata: admin
        ).message
    }

    func create(_ name: String, dataLinkIDs: [String]) async throws -> V1Session {
        try await client.unary(
            SessionServiceMethods.createSession,
            request: V1CreateSessionRequest(
                name: name,
                spec: V1SessionSpec(
                    preset: "terminal", image: "python", computeEnvironment: "aws", homeVolume: V1HomeVolume(source: .newSizeBytes(1 << 30)),
                    dataLinkIDs: dataLinkIDs)),
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

    /// Polls the session until `accept` holds; returns the states seen and the last session.
    func wait(
        _ id: String, timeout: Duration = .seconds(40), until accept: (V1Session) -> Bool
    ) async throws -> (states: [V1SessionState], session: V1Session) {
        let deadline = ContinuousClock.now + timeout
        var states: [V1SessionState] = []
        while true {
            let session = try await get(id)
            if states.last != session.state { states.append(session.state) }
            if accept(session) { return (states, session) }
            guard ContinuousClock.now < deadline else {
                Issue.record("session \(id) did not get there within \(timeout); states \(states), last reason: \(session.stateReason)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(100))
        }
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

    /// A file of the session's home, from its IDE (the home served over HTTP), the way a
    /// user reaches it: a link from `GetSessionConnection`, its ticket sent as a bearer
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
        guard FileManager.default.createFile(
            atPath: headers, contents: Data("Authorization: Bearer \(link.accessToken)\n".utf8), attributes: [.posixPermissions: 0o600])
        else { throw TestTools.Failure("cannot write \(headers)") }
        defer { try? FileManager.default.removeItem(atPath: headers) }
        return String(decoding: try TestTools.run(["curl", "-sSf", "-m", "10", "-H", "@\(headers)", url]), as: UTF8.self)
    }
}
