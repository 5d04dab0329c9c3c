import Foundation
import Glibc
import LocalBackend
import Logging
@testable import SessionGateway
import SessionSDK
import Synchronization
import Testing

/// The gateway's real pieces over a fresh temporary directory: a ``SessionStore`` on a
/// file (WAL, full sync), a real ``LocalProvider`` whose sessions are process groups in
/// user and mount namespaces, a ``ProviderRegistry``, a ``SessionController`` and a
/// ``Reconciler``. Nothing runs in the background unless a test starts the reconciler
/// with ``withReconcilerRunning(_:)`` or drives it with ``converge(_:workspace:to:timeout:sourceLocation:)``.
///
/// ``run(_:_:)`` deletes every backend session (killing its processes), closes every
/// store and removes the directory afterwards, also when the test fails.
///
/// ```swift
/// try await GatewayHarness.run { gateway in
///     let session = try await gateway.createRunning("train")
///     #expect(session.connection != nil)
/// }
/// ```
final class GatewayHarness: Sendable {
    /// What a test may vary.
    struct Options: Sendable {
        /// How long a pausing session's processes get after SIGTERM.
        var gracePeriod: Duration = .seconds(1)
        /// The disk limit of the `local` compute environments.
        var diskLimitBytes: Int64 = 30 << 30
        /// The reconciler's schedule (only used by ``withReconcilerRunning(_:)``,
        /// apart from the checkpoint period).
        var schedule = Reconciler.Schedule(
            fullPass: .milliseconds(500), transitionalPoll: .milliseconds(10), checkpoint: .seconds(300))
        /// The existing volumes the `local` compute environments list.
        var existingVolumes: [String] = []
        /// What the registry serves instead of the Local provider (by default, itself).
        var wrapProvider: @Sendable (LocalProvider) -> any SessionProvider = { $0 }
    }

    /// The second workspace, with its own `local` environment on the same provider.
    static let otherWorkspace = WorkspaceID(rawValue: "team-b")
    /// The secret every harness has: `api-token` in the default workspace.
    static let secretName = "api-token"
    /// Its value.
    static let secretValue = "s3cr3t-value-5e2f"
    /// The bucket that the `local` environment lists as writable (the embedded default's).
    static let writableBucket = "scratch"
    /// A bucket it does not list, so links to it are read-only.
    static let readOnlyBucket = "reference"

    /// The temporary directory holding everything.
    let directory: String
    /// The gateway's data directory (`directory/data`).
    let dataDirectory: String
    /// The store's database file.
    let storePath: String
    /// The embedded default's environments (one per workspace) and catalog, with the
    /// test presets: `notebook` (Python's HTTP server over `/workspace`), `slow`,
    /// `stubborn`, `env-echo` and `env-leak`.
    let configuration: GatewayConfiguration
    let store: SessionStore
    /// The Local provider, for looking at the backend directly.
    let provider: LocalProvider
    /// What the registry serves every environment with: `provider`, or a wrapper of it.
    let backend: any SessionProvider
    let registry: ProviderRegistry
    let controller: SessionController
    /// What seals the store's secrets (its key in the harness's directory).
    let vault: SecretVault
    let reconciler: Reconciler
    let options: Options
    private let opened: OpenedStores

    private init(
        directory: String, options: Options, opened: OpenedStores, wrap: (LocalProvider) -> any SessionProvider
    ) throws {
        self.directory = directory
        self.options = options
        self.opened = opened
        dataDirectory = "\(directory)/data"
        storePath = "\(directory)/data/store.sqlite"
        configuration = Self.configuration(dataDirectory: dataDirectory, options: options)
        store = try SessionStore(location: .file(storePath), logger: Self.quiet)
        opened.add(store)
        var local = LocalProvider.Configuration.defaults(dataDirectory: dataDirectory)
        local.gracePeriod = options.gracePeriod
        local.readinessTimeout = .seconds(90)
        local.executeTimeout = .seconds(30)
        provider = LocalProvider(configuration: local, logger: Self.quiet)
        backend = wrap(provider)
        var registry = ProviderRegistry()
        for environment in configuration.environments {
            registry.register(backend, for: environment.environment)
        }
        self.registry = registry
        vault = try SecretVault.loadOrCreate(keyFile: "\(directory)/secrets.key")
        controller = SessionController(
            configuration: configuration, store: store, providers: registry,
            secrets: StoreSecretResolver(store: store, vault: vault, files: DirectorySecretResolver(root: "\(directory)/secrets")),
            logger: Self.quiet)
        reconciler = Reconciler(controller: controller, schedule: options.schedule, logger: Self.quiet)
    }

    /// Runs `body` with a new harness and cleans up afterwards.
    static func run<Result>(
        _ options: Options = Options(), _ body: (GatewayHarness) async throws -> Result
    ) async throws -> Result {
        let directory = "/tmp/sessiongw-gateway-tests-\(UUID().uuidString.lowercased())"
        let opened = OpenedStores()
        let harness: GatewayHarness
        do {
            try Self.prepare(directory)
            harness = try GatewayHarness(directory: directory, options: options, opened: opened, wrap: options.wrapProvider)
            try await harness.store.createWorkspace(otherWorkspace)
        } catch {
            await cleanUp(directory: directory, opened: opened)
            throw error
        }
        do {
            let result = try await body(harness)
            await cleanUp(directory: directory, opened: opened)
            return result
        } catch {
            await cleanUp(directory: directory, opened: opened)
            throw error
        }
    }

    /// A new store, provider, controller and reconciler on the same store file and
    /// provider root, as after a gateway restart; `wrap` may wrap the new provider
    /// (by default as the options say). The old store is left open, as a killed
    /// gateway leaves its file; it is closed at clean-up.
    func restarted(wrapping wrap: ((LocalProvider) -> any SessionProvider)? = nil) throws -> GatewayHarness {
        try GatewayHarness(directory: directory, options: options, opened: opened, wrap: wrap ?? options.wrapProvider)
    }

    /// ``restarted(wrapping:)`` with the new provider wrapped in a ``RecordingProvider``,
    /// which is returned too.
    func restartedRecording() throws -> (GatewayHarness, RecordingProvider) {
        var recording: RecordingProvider?
        let restarted = try restarted { local in
            let wrapper = RecordingProvider(base: local)
            recording = wrapper
            return wrapper
        }
        return (restarted, try #require(recording))
    }

    // MARK: Set-up and clean-up

    /// What every piece of every harness logs to: nothing, or at debug level to
    /// `$SESSIONGW_TEST_LOG_DIR/gateway-harness.log` when the variable is set, for
    /// `scripts/check-secrets.sh` (``TestLogHandler``).
    static let quiet = TestLogHandler.logger(label: "gateway-harness")

    private static func configuration(dataDirectory: String, options: Options) -> GatewayConfiguration {
        var configuration = GatewayConfiguration.embeddedDefault(dataDirectory: dataDirectory)
        // The embedded catalog (images, sizes), with a tiny real server over /workspace as the IDE.
        let server = "python3 -m http.server \"$SESSION_PORT\" --bind 127.0.0.1 --directory /workspace"
        let embedded = configuration.presets[0]
        func variant(_ id: String, _ script: String) -> Preset {
            var preset = embedded
            preset.id = id
            preset.command = ["sh", "-c", script]
            return preset
        }
        var notebook = variant("notebook", "exec \(server)")
        // The embedded catalog has a RECOMMENDED and a DEPRECATED image; one more to try.
        notebook.images.append(Preset.Image(name: "python3-next", reference: "python3", tag: .experimental))
        configuration.presets = [
            notebook,
            // STARTING for a minute: its server starts late.
            variant("slow", "sleep 60; exec \(server)"),
            // Ignores SIGTERM, so a pause lasts the whole grace period.
            variant("stubborn", "trap '' TERM; exec \(server)"),
            // Leaves the value of API_TOKEN where a test can read it.
            variant("env-echo", "printf %s \"${API_TOKEN-}\" > /workspace/.api-token; exec \(server)"),
            // Prints the value of API_TOKEN to its log and fails, as careless code does.
            variant("env-leak", "echo \"connecting with token ${API_TOKEN-}\"; exit 3"),
        ]
        var environments: [GatewayConfiguration.Environment] = []
        for workspace in [WorkspaceID.default, otherWorkspace] {
            var environment = configuration.environments[0]
            environment.environment.workspace = workspace
            environment.environment.diskLimitBytes = options.diskLimitBytes
            environment.environment.existingVolumes = options.existingVolumes
            environments.append(environment)
        }
        configuration.environments = environments
        // Configurations in the other workspace only, so that the default workspace's
        // sessions start as their presets say.
        configuration.workspaceConfigurations = [
            WorkspaceConfiguration(
                workspace: otherWorkspace, name: "team-defaults", defaultOn: true,
                environment: [.init(name: "API_TOKEN", value: .plain("from-default"))]),
            WorkspaceConfiguration(
                workspace: otherWorkspace, name: "special-token",
                environment: [.init(name: "API_TOKEN", value: .plain("from-special"))],
                initScript: "echo \"init ran with $API_TOKEN\" > .init-ran"),
            WorkspaceConfiguration(workspace: otherWorkspace, name: "failing-init", initScript: "echo broken >&2\nexit 7"),
        ]
        return configuration
    }

    private static func prepare(_ directory: String) throws {
        let files = FileManager.default
        for bucket in [writableBucket, readOnlyBucket] {
            try files.createDirectory(atPath: "\(directory)/data/buckets/\(bucket)", withIntermediateDirectories: true)
        }
        try files.createDirectory(atPath: "\(directory)/secrets/default", withIntermediateDirectories: true)
        try "\(secretValue)\n".write(toFile: "\(directory)/secrets/default/\(secretName)", atomically: true, encoding: .utf8)
    }

    /// Deletes every backend session through a fresh provider, kills what a session
    /// still runs, closes the stores and removes the directory.
    private static func cleanUp(directory: String, opened: OpenedStores) async {
        let configuration = LocalProvider.Configuration.defaults(dataDirectory: "\(directory)/data")
        let provider = LocalProvider(configuration: configuration, logger: quiet)
        for status in (try? await provider.listSessions()) ?? [] {
            try? await provider.deleteSession(status.handle)
        }
        let sessions = "\(configuration.rootDirectory)/sessions"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: sessions)) ?? [] {
            if let pid = BackendInspection.recordedLeader(sessionDirectory: "\(sessions)/\(name)") { kill(-pid, SIGKILL) }
        }
        opened.closeAll()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// The stores a harness opened, closed once at clean-up.
private final class OpenedStores: Sendable {
    private let stores = Mutex<[SessionStore]>([])

    func add(_ store: SessionStore) { stores.withLock { $0.append(store) } }

    func closeAll() {
        for store in stores.withLock({ stores in defer { stores = [] }; return stores }) {
            try? store.close()
        }
    }
}
