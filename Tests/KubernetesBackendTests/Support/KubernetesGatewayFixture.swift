import Foundation
@testable import KubernetesBackend
import Logging
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import SessionTestSupport
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
    typealias Running = InProcessGateway

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
            // The emulator's containers see the host's files, so the agent image's
            // executable is the one built beside the tests.
            "agentImage": "ghcr.io/example/sessiongw-agent:test",
            "agentImagePath": SessionAgentLaunch.besideRunningProgram() ?? "/missing/sessiongw-agent",
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
        let logger = Logger(label: "kubernetes-e2e") { _ in SwiftLogNoOpLogHandler() }
        return try await InProcessGateway.serve(
            configuration: configuration, backends: [KubernetesProvider.factory(logger: logger)], logger: logger,
            waitsForConnectionProxy: true, body)
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
}

extension InProcessGateway {
    /// `CreateSession` from the preset on the `k8s` environment with a new 1 GiB home.
    func create(_ name: String) async throws -> V1Session {
        try await sessions.createSession(V1CreateSessionRequest(
            name: name,
            spec: V1SessionSpec(
                preset: "notebook", image: "python", computeEnvironment: "k8s",
                homeVolume: V1HomeVolume(source: .newSizeBytes(1 << 30)))))
    }

    /// A request to the session's IDE the way a user makes it
    /// (``withIDELink(to:path:_:)``), through the gateway's connection proxy, which adds
    /// the backend's token. Returns the HTTP status and body.
    func ide(_ id: String, _ method: String = "GET", _ path: String, body: String? = nil) async throws -> (status: Int, body: String) {
        try await withIDELink(to: id, path: path) { url, headers in
            #expect(url.contains("/sessions/"), "GetSessionConnection gives a link through the proxy")
            var arguments = ["curl", "-sS", "-m", "20", "-X", method, "-H", "@\(headers)", "-o", "-", "-w", "\n%{http_code}"]
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
}
