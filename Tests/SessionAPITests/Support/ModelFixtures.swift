import SessionSDK

/// The SessionSDK values that the messages of ``V1Fixtures`` and
/// ``ProviderV1Fixtures`` convert to.
enum ModelFixtures {
    static let resources = Resources(cpuMillis: 2500, memoryBytes: 8 << 30, gpus: 2)

    static let spec = { () -> SessionSpec in
        var spec = SessionSpec(
            preset: "jupyter",
            image: "pytorch",
            podSize: "large",
            resources: resources,
            computeEnvironment: "local",
            computePool: "gpu",
            environment: [
                .init(name: "LOG_LEVEL", value: .plain("debug")),
                .init(name: "API_TOKEN", value: .secret("team-token")),
            ],
            homeVolume: .new(sizeBytes: 10 << 30),
            dataVolumes: [.init(source: "datasets", mountPath: "/mnt/datasets", readOnly: true)],
            dataLinks: ["dl-1", "dl-2"],
            labels: ["team": "ml", "project": "vision", "tier": ""],
            durationLimit: .seconds(8 * 3600)
        )
        spec.inheritsWorkspaceSecrets = false
        spec.configurations = ["corporate-proxy"]
        spec.excludedConfigurations = ["conda"]
        spec.packages = ["pandas[parquet]>=2,<3", "numpy==2.1.0"]
        return spec
    }()

    static let dataLink = DataLink(
        id: "dl-1", workspace: .default, name: "biopharmax-experiments",
        location: DataLinkLocation(scheme: .s3, bucket: "biopharmaX", prefix: "experiments"), description: "raw data")

    static let readOnlyMount = DataLinkMount(
        dataLink: dataLink, mountPath: "/workspace/data/biopharmax-experiments", readOnly: true)

    static let checkpoint = Checkpoint(
        id: CheckpointID(rawValue: "c-7"), session: SessionID(rawValue: "s-42"), name: "start", trigger: .start,
        sizeBytes: 4096, location: "/var/lib/sessiongw/checkpoints/c-7.tar", createdAt: 1_700_000_000.5)

    static let providerRequest = ProviderSessionRequest(
        sessionID: SessionID(rawValue: "s-42"),
        workspace: .default,
        name: "train",
        ideKind: .vsCode,
        image: "ghcr.io/example/code:1",
        command: ["code-server", "--bind-addr", "127.0.0.1:${SESSION_PORT}"],
        resources: resources,
        computePool: "gpu",
        environment: ["LOG_LEVEL": "debug", "API_TOKEN": "s3cr3t"],
        secretNames: ["API_TOKEN"],
        homeVolume: .existing("home-alice"),
        dataVolumes: [.init(source: "datasets", mountPath: "/mnt/datasets", readOnly: true)],
        dataLinks: [readOnlyMount],
        durationLimit: .seconds(3600),
        restoreFrom: checkpoint,
        spec: spec,
        agentToken: "sga-0123",
        packages: ["numpy==2.1.0", "pandas[parquet]>=2,<3"]
    )

    static let providerStatus = ProviderSessionStatus(
        sessionID: SessionID(rawValue: "s-42"), handle: SessionHandle(rawValue: "pgid:4242"), state: .running,
        reason: "serving", connection: Session.Connection(
            url: "http://127.0.0.1:40001/lab", accessToken: "tok-123", agentAddress: "127.0.0.1:40002"),
        timeLeft: .seconds(1800))
}
