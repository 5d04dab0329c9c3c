import RPCTransport
import SessionAPI

/// `sessiongw.v1` messages with every field set to a value other than its default.
enum V1Fixtures {
    static let resources = V1Resources(cpuMillis: 2500, memoryBytes: 8 << 30, gpus: 2)
    static let plainVariable = V1EnvVar(name: "LOG_LEVEL", source: .value("debug"))
    static let secretVariable = V1EnvVar(name: "API_TOKEN", source: .secretRef("team-token"))
    static let newHome = V1HomeVolume(source: .newSizeBytes(10 << 30))
    static let existingHome = V1HomeVolume(source: .existingClaim("home-alice"))
    static let dataVolume = V1DataVolume(source: "datasets", mountPath: "/mnt/datasets", readOnly: true)

    static let spec = V1SessionSpec(
        preset: "jupyter",
        image: "pytorch",
        podSize: "large",
        resources: resources,
        computeEnvironment: "local",
        computePool: "gpu",
        env: [plainVariable, secretVariable],
        homeVolume: newHome,
        dataVolumes: [dataVolume],
        dataLinkIDs: ["dl-1", "dl-2"],
        labels: ["team": "ml", "project": "vision", "tier": ""],
        durationLimit: ProtobufDuration(seconds: 8 * 3600),
        excludeWorkspaceSecrets: true,
        configurations: ["corporate-proxy"],
        excludedConfigurations: ["conda"],
        packages: ["pandas[parquet]>=2,<3", "numpy==2.1.0"]
    )

    static let connection = V1Connection(url: "http://127.0.0.1:40001/lab", accessToken: "tok-123")

    static let readOnlyMount = V1DataLink(
        id: "dl-1", workspace: "default", name: "biopharmax-experiments",
        location: "s3://biopharmaX/experiments", description: "raw data",
        mountPath: "/workspace/data/biopharmax-experiments", readOnly: true)

    static let session = V1Session(
        id: "s-42",
        workspace: "default",
        name: "train",
        owner: "alice",
        spec: spec,
        state: .running,
        stateReason: "healthy",
        clonedFromCheckpointID: "c-7",
        connectionURL: "http://127.0.0.1:40001/lab",
        dataLinks: [readOnlyMount],
        createTime: ProtobufTimestamp(seconds: 1_700_000_000, nanos: 250_000_000),
        updateTime: ProtobufTimestamp(seconds: 1_700_000_100, nanos: 500_000_000),
        revision: 17
    )

    static let checkpoint = V1Checkpoint(
        id: "c-7", workspace: "default", sessionID: "s-42", name: "before_upgrade", trigger: .pause,
        sizeBytes: 123_456_789, createTime: ProtobufTimestamp(seconds: 1_700_000_050, nanos: 750_000_000))

    static let presetImage = V1PresetImage(name: "pytorch", reference: "ghcr.io/example/pytorch:2.3", tag: .recommended)
    static let podSize = V1PodSize(name: "large", resources: resources)

    static let preset = V1Preset(
        id: "jupyter",
        displayName: "JupyterLab",
        ideKind: .jupyterlab,
        images: [presetImage, V1PresetImage(name: "tf", reference: "ghcr.io/example/tf:1", tag: .deprecated)],
        podSizes: [V1PodSize(name: "small", resources: V1Resources(cpuMillis: 500, memoryBytes: 1 << 30)), podSize],
        defaultPodSize: "small",
        command: ["jupyter", "lab", "--port=${SESSION_PORT}"],
        defaultHomeVolumeBytes: 5 << 30
    )

    static let computeEnvironment = V1ComputeEnvironment(
        id: "local", workspace: "default", backend: "local", pools: ["cpu", "gpu"], defaultPool: "cpu",
        writableBuckets: ["scratch", "/shared/rw"], diskLimitBytes: 30 << 30)

    static let event = V1SessionEvent(
        sessionID: "s-42", time: ProtobufTimestamp(seconds: 1_700_000_001, nanos: 500_000_000), type: .stateChanged, message: "compute is ready",
        fromState: .starting, toState: .running, actor: "alice")

    static let filter = V1SessionFilter(
        states: [.running, .paused, .unrecognized(99)], backend: "slurm", labels: ["team": "ml", "env": "dev"],
        owner: "alice")
}
