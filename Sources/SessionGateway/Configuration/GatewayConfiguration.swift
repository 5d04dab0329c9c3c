public import SessionSDK

/// Everything the gateway is told at start-up: where it listens, where it keeps its
/// data, and the compute environments and presets it offers.
///
/// Read from YAML by ``load(yaml:dataDirectory:)``; with no file, ``embeddedDefault(dataDirectory:)``
/// gives a Local backend with a sample preset.
///
/// ```yaml
/// listen: ["127.0.0.1:50051"]
/// dataDirectory: /var/lib/sessiongw
/// reconcileInterval: 10s
/// checkpointInterval: 5m
/// utilizationInterval: 1m
/// computeEnvironments:
///   - id: local
///     backend: local
///     writableBuckets: [scratch]
/// presets:
///   - id: notebook
///     displayName: Python notebook
///     ideKind: JUPYTERLAB
///     command: ["python3", "-m", "http.server", "--bind", "127.0.0.1"]
///     images: [{name: python, reference: python3, tag: RECOMMENDED}]
///     podSizes: [{name: small, cpu: 1, memory: 2GiB}]
///     defaultPodSize: small
/// ```
public struct GatewayConfiguration: Sendable {
    /// How the gateway reaches a compute environment's backend.
    public enum Backend: Hashable, Sendable {
        /// A provider linked into the gateway, by kind (`local`).
        case builtIn(kind: String, settings: [String: String])
        /// An out-of-process provider speaking `provider.proto` at an address
        /// (`host:port` or `unix:PATH`).
        case remote(address: String)
    }

    /// A compute environment and its backend.
    public struct Environment: Sendable {
        /// The environment as sessions see it.
        public var environment: ComputeEnvironment
        /// How to reach its backend.
        public var backend: Backend
        /// What its sessions cost; nil when they are metered at no cost.
        public var pricing: Pricing?
    }

    /// Addresses to listen on: `host:port` or `unix:PATH`.
    public var listen: [String]
    /// Where the store, the Local backend's files and the admin token live.
    public var dataDirectory: String
    /// How often every session is compared with its backend.
    public var reconcileInterval: Duration
    /// How often running sessions are checkpointed (5 minutes by default).
    public var checkpointInterval: Duration
    /// The compute environments, by id.
    public var environments: [Environment]
    /// The presets, by id.
    public var presets: [Preset]
    /// Workspaces, members and JWT keys.
    public var access = Access()
    /// TLS for every TCP listener (the connection proxy's too); nil serves cleartext
    /// HTTP/2 (h2c) and HTTP/1.1.
    public var tls: TLS?
    /// The connection proxy for sessions' IDEs; nil when it is off.
    public var connect: Connect? = Connect()
    /// How long the change log, activity logs and audit trail are kept.
    public var retention = Retention()
    /// How often the utilization of running sessions is collected from their agents
    /// (a minute by default; the agents sample every 15 s).
    public var utilizationInterval: Duration = .seconds(60)
    /// When running sessions count as idle and which the gateway pauses.
    public var idle = Idle()
    /// How homes that are filesystems of their own start, grow and shrink.
    public var storage = Storage()
    /// The key that seals workspace secrets (``SecretVault``): `secrets.key` in the data
    /// directory when nil. Keep it apart from the store (and its backups) to keep the
    /// values out of a copy of the store.
    public var secretsKeyFile: String?

    /// The configurations administrators offer to workspaces' sessions.
    public var workspaceConfigurations: [WorkspaceConfiguration] = []

    /// The file of the key that seals workspace secrets.
    public var secretsKeyPath: String { secretsKeyFile ?? dataDirectory + "/secrets.key" }

    /// The files of the gateway's TLS certificate, reloaded when they change.
    public struct TLS: Hashable, Sendable {
        /// The certificate chain (PEM).
        public var certificate: String
        /// The private key (PEM).
        public var privateKey: String
        /// Trust roots for client certificates; when set, every client must present one.
        public var clientCertificateAuthority: String?

        /// Creates TLS settings.
        public init(certificate: String, privateKey: String, clientCertificateAuthority: String? = nil) {
            self.certificate = certificate
            self.privateKey = privateKey
            self.clientCertificateAuthority = clientCertificateAuthority
        }
    }

    /// Creates a configuration.
    public init(
        listen: [String], dataDirectory: String, reconcileInterval: Duration = .seconds(10),
        checkpointInterval: Duration = .seconds(300), environments: [Environment], presets: [Preset]
    ) {
        self.listen = listen
        self.dataDirectory = dataDirectory
        self.reconcileInterval = reconcileInterval
        self.checkpointInterval = checkpointInterval
        self.environments = environments
        self.presets = presets
    }

    /// The environment with an id in a workspace.
    public func environment(_ id: String, in workspace: WorkspaceID) -> Environment? {
        environments.first { $0.environment.id == id && $0.environment.workspace == workspace }
    }

    /// The preset with an id.
    public func preset(_ id: String) -> Preset? {
        presets.first { $0.id == id }
    }

    /// A gateway on `127.0.0.1:50051` with the Local backend and two presets: `notebook`,
    /// whose "IDE" is a small web file browser and editor over the session's workspace
    /// (``SampleIDE``), and `jupyterlab`, a real JupyterLab (installed by
    /// `scripts/install-deps.sh jupyter` at ``jupyterLabDirectory``) served under the
    /// session's path on the connection proxy with the session's token. Two emulated
    /// buckets exist: `scratch`, writable by sessions, and `reference`, read-only.
    public static func embeddedDefault(dataDirectory: String) -> GatewayConfiguration {
        var local = ComputeEnvironment(
            id: "local", workspace: .default, backend: "local", pools: ["default"], defaultPool: "default",
            writableBuckets: ["scratch"])
        local.readableBuckets = ["reference"]
        let preset = Preset(
            id: "notebook", displayName: "Python workspace (web file browser and editor)", ideKind: .jupyterLab,
            images: [
                Preset.Image(name: "python3", reference: "python3", tag: .recommended),
                Preset.Image(name: "python3-legacy", reference: "python3", tag: .deprecated),
            ],
            podSizes: [
                Preset.PodSize(name: "small", resources: Resources(cpuMillis: 1000, memoryBytes: 2 << 30)),
                Preset.PodSize(name: "medium", resources: Resources(cpuMillis: 2000, memoryBytes: 8 << 30)),
            ],
            defaultPodSize: "small",
            command: ["python3", "-c", SampleIDE.script])
        var jupyterLab = preset
        jupyterLab.id = "jupyterlab"
        jupyterLab.displayName = "JupyterLab"
        jupyterLab.images = [Preset.Image(name: "python3", reference: "python3", tag: .recommended)]
        jupyterLab.command = ["sh", "-c", jupyterLabCommand]
        jupyterLab.usesBaseURL = true
        return GatewayConfiguration(
            listen: ["127.0.0.1:50051"], dataDirectory: dataDirectory,
            environments: [Environment(environment: local, backend: .builtIn(kind: "local", settings: [:]))],
            presets: [preset, jupyterLab])
    }

    /// Where `scripts/install-deps.sh jupyter` installs JupyterLab (a system directory
    /// the Local sandbox shows).
    public static let jupyterLabDirectory = "/opt/sessiongw/jupyterlab"

    /// JupyterLab on the session's port, under its base URL, with the session's token as
    /// its own; the connection proxy adds the token to every request it forwards and
    /// answers for the origin, so JupyterLab takes requests from any origin.
    static let jupyterLabCommand = """
        exec \(jupyterLabDirectory)/bin/jupyter lab --no-browser --ServerApp.ip=127.0.0.1 \
          --ServerApp.port="$SESSION_PORT" --IdentityProvider.token="$SESSION_TOKEN" \
          --ServerApp.base_url="${SESSION_BASE_URL:-/}" --ServerApp.root_dir=/workspace \
          --ServerApp.allow_origin='*'
        """
}
