import Foundation
@testable import KubernetesBackend
import Logging
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import Testing

/// A gateway configuration whose one compute environment is the Kubernetes backend on
/// the API emulator (`backend: kubernetes` with flat settings: the emulator's
/// kubeconfig, the test's own namespace, pod IPs as connection addresses), with a preset
/// whose IDE is the gateway's sample IDE. Gateways started from it run in this process
/// on a Unix socket, with the connection proxy on a free port, and are called through a
/// real ``RPCClient`` with the administrator token.
///
/// Each fixture has its own gateway data directory and namespace; both are removed
/// afterwards, also when the test fails.
struct KubernetesGatewayFixture: Sendable {
    /// The gateway's configuration.
    let configuration: GatewayConfiguration
    /// The emulator and the test's namespace, for inspection.
    let kube: KubeFixture
    /// The fixture's directory (the gateway's data directory is `data` in it).
    let directory: String

    /// A gateway running in this process.
    struct Running: Sendable {
        let gateway: Gateway
        let client: RPCClient
        /// Where a request's headers file is written (mode 0600), so that no ticket is
        /// on a command line.
        let headersFile: String

        /// `authorization` metadata with the administrator token.
        var admin: Metadata { ["authorization": .string("Bearer \(gateway.adminToken.value)")] }
    }

    /// The preset's command: the gateway's sample IDE (GET and PUT of files under
    /// `/workspace`, the home) after two seconds, so that the session is STARTING for
    /// a while (its container runs, its port does not answer yet).
    static let command = ["python3", "-c", "import time\ntime.sleep(2)\n" + SampleIDE.script]

    /// Runs `body` with a fixture in a new namespace of the emulator; cleans up also when
    /// it throws.
    static func run<Result: Sendable>(_ body: (KubernetesGatewayFixture) async throws -> Result) async throws -> Result {
        let kube = try await KubeFixture.start("kgw")
        let directory = "/tmp/sessiongw-kube-e2e-\(KubeFixture.tag())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let settings = [
            "kubeconfig": kube.kubeconfig, "namespace": kube.namespace, "connectionAddress": "podIP",
            "terminationGracePeriodSeconds": "1", "requestTimeoutSeconds": "10", "maxAttempts": "4",
            "deleteTimeoutSeconds": "20", "snapshotTimeoutSeconds": "30", "executeTimeoutSeconds": "30",
        ]
        let environment = ComputeEnvironment(id: "k8s", backend: "kubernetes")
        let preset = Preset(
            id: "notebook", displayName: "Python workspace on Kubernetes", ideKind: .jupyterLab,
            images: [Preset.Image(name: "python", reference: "python:3.12", tag: .recommended)],
            podSizes: [Preset.PodSize(name: "small", resources: Resources(cpuMillis: 250, memoryBytes: 256 << 20))],
            defaultPodSize: "small", command: command, defaultHomeVolumeBytes: 1 << 30)
        var configuration = GatewayConfiguration(
            listen: ["unix:\(directory)/gateway.sock"], dataDirectory: directory + "/data",
            reconcileInterval: .seconds(1), checkpointInterval: .seconds(300),
            environments: [.init(environment: environment, backend: .builtIn(kind: "kubernetes", settings: settings))],
            presets: [preset])
        configuration.access = .init()
        configuration.connect = .init(listen: "127.0.0.1:0", listenIsDefault: false)
        let fixture = KubernetesGatewayFixture(configuration: configuration, kube: kube, directory: directory)
        do {
            let result = try await body(fixture)
            await kube.finish()
            return result
        } catch {
            await kube.finish()
            throw error
        }
    }

    /// Starts a gateway on the configuration, runs `body` with it, and stops it. Called
    /// again, it starts a new gateway on the same data directory: a restart.
    func serve<Result: Sendable>(_ body: (Running) async throws -> Result) async throws -> Result {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let logger = Logger(label: "kubernetes-e2e") { _ in SwiftLogNoOpLogHandler() }
        let gateway = try await Gateway(configuration: configuration, backends: [KubernetesProvider.factory(logger: logger)], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            let address = try await gateway.listeningAddresses()[0]
            _ = try await gateway.connectionProxyAddress()
            let client = RPCClient(target: try #require(RPCClient.Target(address: address)))
            let result: Swift.Result<Result, any Error>
            do {
                result = .success(try await body(Running(gateway: gateway, client: client, headersFile: "\(directory)/headers")))
            } catch {
                result = .failure(error)
            }
            await client.close()
            group.cancelAll()
            try? await group.waitForAll()
            return try result.get()
        }
    }

    // MARK: Inspection through the Kubernetes API

    /// The names the backend derives from a session id.
    static func names(_ id: String) -> KubeNames { KubeNames(sessionID: SessionID(rawValue: id)) }

    /// The session's StatefulSet, nil when there is none.
    func statefulSet(of id: String) async throws -> KubeObject? {
        try await kube.client.get(.statefulSets, namespace: kube.namespace, name: Self.names(id).statefulSet, what: "reading the StatefulSet")
    }

    /// The session's home PersistentVolumeClaim, nil when there is none.
    func homeClaim(of id: String) async throws -> KubeObject? {
        try await kube.client.get(
            .persistentVolumeClaims, namespace: kube.namespace, name: Self.names(id).homeClaim, what: "reading the home claim")
    }

    /// The kinds of object the backend makes for a session in its namespace.
    static let sessionResources: [KubeResource] = [
        .statefulSets, .pods, .persistentVolumeClaims, .services, .secrets, .volumeSnapshots,
    ]

    /// Every object in the namespace labelled with the session (`sessiongw.io/session`),
    /// of ``sessionResources``, as `Kind/name`, those being deleted included.
    func labelledObjects(of id: String) async throws -> [String] {
        let selector = "\(KubeNames.sessionLabel)=\(Self.names(id).slug)"
        var found: [String] = []
        for resource in Self.sessionResources {
            let items = try await kube.client.list(resource, namespace: kube.namespace, labelSelector: selector, what: "listing").items
            found += items.map { "\(resource.kind)/\($0["metadata"]["name"].string ?? "?")" }
        }
        return found
    }

    /// Polls `condition` until it holds (at most `timeout`); returns whether it did.
    static func eventually(
        timeout: Duration = .seconds(30), _ condition: () async throws -> Bool
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return try await condition()
    }
}

extension KubernetesGatewayFixture.Running {
    /// `CreateSession` from the preset on the `k8s` environment with a new 1 GiB home.
    func create(_ name: String) async throws -> V1Session {
        try await client.unary(
            SessionServiceMethods.createSession,
            request: V1CreateSessionRequest(
                name: name,
                spec: V1SessionSpec(
                    preset: "notebook", image: "python", computeEnvironment: "k8s", homeVolume: V1HomeVolume(source: .newSizeBytes(1 << 30)))),
            metadata: admin
        ).message
    }

    /// `GetSession`.
    func get(_ id: String) async throws -> V1Session {
        try await client.unary(
            SessionServiceMethods.getSession, request: V1GetSessionRequest(sessionID: id), metadata: admin
        ).message
    }

    /// `PauseSession`.
    func pause(_ id: String) async throws {
        _ = try await client.unary(
            SessionServiceMethods.pauseSession, request: V1PauseSessionRequest(sessionID: id), metadata: admin)
    }

    /// `ResumeSession`.
    func resume(_ id: String) async throws {
        _ = try await client.unary(
            SessionServiceMethods.resumeSession, request: V1ResumeSessionRequest(sessionID: id), metadata: admin)
    }

    /// `DeleteSession` with `force`.
    func delete(_ id: String) async throws {
        _ = try await client.unary(
            SessionServiceMethods.deleteSession, request: V1DeleteSessionRequest(sessionID: id, force: true), metadata: admin)
    }

    /// The session's activity log, oldest first.
    func events(_ id: String) async throws -> [V1SessionEvent] {
        var events: [V1SessionEvent] = []
        var token = ""
        repeat {
            let page = try await client.unary(
                SessionServiceMethods.listSessionEvents, request: V1ListSessionEventsRequest(sessionID: id, pageSize: 100, pageToken: token),
                metadata: admin
            ).message
            events += page.events
            token = page.nextPageToken
        } while !token.isEmpty
        return events
    }

    /// Polls the session until `accept` holds; returns every state and every reason
    /// seen on the way, in order, and the last session.
    func wait(
        _ id: String, timeout: Duration = .seconds(60), until accept: (V1Session) -> Bool
    ) async throws -> (states: [V1SessionState], reasons: [String], session: V1Session) {
        let deadline = ContinuousClock.now + timeout
        var states: [V1SessionState] = []
        var reasons: [String] = []
        var last: V1Session?
        while ContinuousClock.now < deadline {
            let session = try await get(id)
            if states.last != session.state { states.append(session.state) }
            if !session.stateReason.isEmpty, reasons.last != session.stateReason { reasons.append(session.stateReason) }
            last = session
            if accept(session) { return (states, reasons, session) }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("session \(id) did not get there within \(timeout); states \(states), last reason: \(last?.stateReason ?? "")")
        throw CancellationError()
    }

    /// Polls until the gateway no longer knows the session (NOT_FOUND).
    func waitUntilGone(_ id: String, timeout: Duration = .seconds(40)) async throws {
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

    /// A request to the session's IDE the way a user makes it: a link from
    /// `GetSessionConnection`, its ticket sent as bearer credential to the gateway's
    /// connection proxy, which adds the backend's token. Returns the HTTP status and body;
    /// the ticket appears in no message.
    func ide(_ id: String, _ method: String = "GET", _ path: String, body: String? = nil) async throws -> (status: Int, body: String) {
        let link = try await client.unary(
            SessionServiceMethods.getSessionConnection, request: V1GetSessionConnectionRequest(sessionID: id), metadata: admin
        ).message
        var components = try #require(URLComponents(string: link.url))
        #expect(components.path.hasPrefix("/sessions/"), "GetSessionConnection gives a link through the proxy")
        components.query = nil
        components.path += path
        let url = try #require(components.string)
        let headers = Data("Authorization: Bearer \(link.accessToken)\n".utf8)
        guard FileManager.default.createFile(atPath: headersFile, contents: headers, attributes: [.posixPermissions: 0o600]) else {
            throw TestTools.Failure("cannot write \(headersFile)")
        }
        defer { try? FileManager.default.removeItem(atPath: headersFile) }
        var arguments = ["curl", "-sS", "-m", "20", "-X", method, "-H", "@\(headersFile)", "-o", "-", "-w", "\n%{http_code}"]
        if let body { arguments += ["--data-binary", body] }
        let result = try TestTools.execute(arguments + [url])
        guard result.status == 0 else { throw TestTools.Failure("curl \(method) \(url) exited \(result.status): \(result.errors)") }
        let output = result.output
        guard let newline = output.lastIndex(of: "\n"), let status = Int(output[output.index(after: newline)...]) else {
            throw TestTools.Failure("curl \(method) \(url) gave no status")
        }
        return (status, String(output[..<newline]))
    }
}
