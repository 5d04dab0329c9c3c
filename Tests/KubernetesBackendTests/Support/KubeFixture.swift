@testable import KubernetesBackend
import Foundation
import Logging
import NIOHTTP1
import SessionConformance
import SessionSDK
import Testing

/// The project's Kubernetes API emulator (started by `scripts/kube-api-server.sh start`,
/// which is idempotent, so the first test to need it starts it and the others reuse it),
/// a namespace of the test's own (created here, deleted by ``finish()``), and providers
/// configured for both. A test that cannot start or reach the emulator fails.
struct KubeFixture: Sendable {
    /// The emulator's state directory.
    var state: String
    /// `$STATE/kubeconfig`.
    var kubeconfig: String
    /// The test's namespace.
    var namespace: String
    /// A client with the kubeconfig's credentials, for setup and inspection.
    var client: KubeClient

    /// A fresh tag for names.
    static func tag() -> String { String(UInt32.random(in: 0...UInt32.max), radix: 36) }

    /// Starts the emulator (if needed) and creates a namespace `<prefix>-<tag>`.
    static func start(_ prefix: String) async throws -> KubeFixture {
        let state = ProcessInfo.processInfo.environment["KUBE_API_STATE"] ?? "/tmp/sessiongw-kube"
        try TestTools.run([TestTools.repositoryPath("scripts/kube-api-server.sh"), "start"])
        let kubeconfig = "\(state)/kubeconfig"
        let credentials = try KubeCredentials.fromKubeconfig(path: kubeconfig, context: nil, allowInsecure: false)
        let client = try KubeClient(
            credentials: credentials, retry: .init(maxAttempts: 3, baseDelay: .milliseconds(50), maxDelay: .milliseconds(500)),
            requestTimeout: .seconds(20), logger: Logger(label: "kube-fixture") { _ in SwiftLogNoOpLogHandler() })
        let namespace = "\(prefix)-\(tag())"
        _ = try await client.create(
            .namespaces, namespace: nil, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]],
            what: "creating the test namespace")
        return KubeFixture(state: state, kubeconfig: kubeconfig, namespace: namespace, client: client)
    }

    /// Deletes the namespace (and with it everything in it).
    func finish() async {
        _ = try? await client.delete(.namespaces, namespace: nil, name: namespace, what: "deleting the test namespace")
    }

    /// The backend's configuration for the fixture: the test's namespace, pod IPs in
    /// connection URLs (the emulator makes them reachable), short waits.
    func configuration(instance: String = "sessiongw") -> KubernetesProvider.Configuration {
        var configuration = KubernetesProvider.Configuration(credentials: .kubeconfig(path: kubeconfig, context: nil))
        configuration.namespace = namespace
        configuration.instance = instance
        configuration.connectionAddress = .podIP
        configuration.pollInterval = .milliseconds(100)
        configuration.deleteTimeout = .seconds(20)
        configuration.snapshotTimeout = .seconds(30)
        configuration.executeTimeout = .seconds(30)
        configuration.requestTimeout = .seconds(10)
        configuration.terminationGracePeriodSeconds = 1
        configuration.retry = .init(maxAttempts: 4, baseDelay: .milliseconds(50), maxDelay: .milliseconds(500))
        return configuration
    }

    /// A provider for the fixture.
    func provider(_ configuration: KubernetesProvider.Configuration? = nil) throws -> KubernetesProvider {
        try KubernetesProvider(
            configuration: configuration ?? self.configuration(), logger: Logger(label: "kubernetes-tests") { _ in SwiftLogNoOpLogHandler() })
    }

    /// A request whose command serves the home over HTTP on `$SESSION_PORT`.
    static func request(_ id: SessionID) -> ProviderSessionRequest {
        ProviderSessionRequest(
            sessionID: id, workspace: .default, name: id.rawValue, ideKind: .terminal, image: "python:3.12",
            command: ["/bin/sh", "-c", "exec python3 -m http.server \"$SESSION_PORT\" --bind 0.0.0.0"],
            resources: Resources(cpuMillis: 250, memoryBytes: 256 << 20), homeVolume: .new(sizeBytes: 1 << 30))
    }

    // MARK: Emulator endpoints

    /// `POST /_emulator/faults` with a rule; the namespace is added unless the rule is global.
    func fault(_ rule: KubeObject, global: Bool = false) async throws {
        var rule = rule
        if !global { rule["namespace"] = .string(namespace) }
        _ = try await client.send(.POST, "/_emulator/faults", body: rule, idempotent: false, what: "adding a fault")
    }

    /// `GET /_emulator/faults?namespace=NS`.
    func faults() async throws -> KubeObject {
        let response = try await client.send(.GET, "/_emulator/faults", query: [("namespace", namespace)], idempotent: true, what: "reading faults")
        return try client.parse(response, "reading faults")
    }

    /// `GET /_emulator/validations?namespace=NS`: every object sent in the namespace.
    func validations() async throws -> [KubeObject] {
        let response = try await client.send(
            .GET, "/_emulator/validations", query: [("namespace", namespace)], idempotent: true, what: "reading validations")
        return try client.parse(response, "reading validations")["validated"].array
    }

    /// The S3 data-links: a writable one (bucket `<bucket>-rw`, prefix projects/a, with
    /// `secret.txt` beside it) and a read-only one (bucket `<bucket>-ro`, prefix genomes).
    func dataLinks() throws -> (links: ConformanceDataLinks, environment: ComputeEnvironment) {
        let bucket = "sgw-\(namespace)"
        for directory in ["\(bucket)-rw/projects/a", "\(bucket)-ro/genomes"] {
            try FileManager.default.createDirectory(atPath: "\(state)/s3/\(directory)", withIntermediateDirectories: true)
        }
        try "outside the link\n".write(toFile: "\(state)/s3/\(bucket)-rw/projects/secret.txt", atomically: true, encoding: .utf8)
        try "ACGT\n".write(toFile: "\(state)/s3/\(bucket)-ro/genomes/reference.fa", atomically: true, encoding: .utf8)
        let environment = ComputeEnvironment(id: "k8s", backend: "kubernetes", writableBuckets: ["\(bucket)-rw"])
        let links = try ConformanceDataLinks(
            writable: DataLink(id: "dl-scratch", workspace: .default, name: "scratch",
                               location: try DataLinkRules.parseLocation("s3://\(bucket)-rw/projects/a")),
            readOnly: DataLink(id: "dl-genomes", workspace: .default, name: "genomes",
                               location: try DataLinkRules.parseLocation("s3://\(bucket)-ro/genomes")),
            in: environment, outsideEntry: "secret.txt")
        return (links, environment)
    }

    /// A running session of a new provider in a new namespace `<prefix>-<tag>`.
    static func running(_ prefix: String) async throws -> (KubeFixture, KubernetesProvider, ProviderSessionStatus) {
        let kube = try await start(prefix)
        let provider = try kube.provider()
        let id = SessionID(rawValue: "\(prefix)-\(tag())")
        let created = try await provider.createSession(request(id))
        let running = try await wait(provider, created.handle) { $0.state == .running || $0.state == .failed }
        try #require(running.state == .running, "\(running.reason)")
        return (kube, provider, running)
    }

    /// Polls the session until `accept` holds (at most `timeout`); returns the last status.
    static func wait(
        _ provider: any SessionProvider, _ handle: SessionHandle, timeout: Duration = .seconds(30),
        until accept: (ProviderSessionStatus) -> Bool
    ) async throws -> ProviderSessionStatus {
        let deadline = ContinuousClock.now + timeout
        var status = try await provider.describeSession(handle)
        while !accept(status) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            status = try await provider.describeSession(handle)
        }
        return status
    }
}
