import RPCTransport
import SessionAPI

/// `sessiongw.provider.v1` messages with every field set to a value other than its
/// default. They are written out rather than made from ``V1Fixtures``, so that the
/// conversions' reading of one as the other is tested, not assumed.
enum ProviderV1Fixtures {
    static let checkpoint = ProviderV1Checkpoint(
        id: "c-7", sessionID: "s-42", name: "start", trigger: .start, sizeBytes: 4096,
        location: "/var/lib/sessiongw/checkpoints/c-7.tar", createTime: ProtobufTimestamp(seconds: 1_700_000_000, nanos: 500_000_000))

    static let resources = ProviderV1Resources(cpuMillis: 2500, memoryBytes: 8 << 30, gpus: 2)
    static let dataVolume = ProviderV1DataVolume(source: "datasets", mountPath: "/mnt/datasets", readOnly: true)

    static let spec = ProviderV1SessionSpec(
        preset: "jupyter",
        image: "pytorch",
        podSize: "large",
        resources: resources,
        computeEnvironment: "local",
        computePool: "gpu",
        env: [
            ProviderV1EnvVar(name: "LOG_LEVEL", source: .value("debug")),
            ProviderV1EnvVar(name: "API_TOKEN", source: .secretRef("team-token")),
        ],
        homeVolume: ProviderV1HomeVolume(source: .newSizeBytes(10 << 30)),
        dataVolumes: [dataVolume],
        dataLinkIDs: ["dl-1", "dl-2"],
        labels: ["team": "ml", "project": "vision", "tier": ""],
        durationLimit: ProtobufDuration(seconds: 8 * 3600),
        excludeWorkspaceSecrets: true,
        configurations: ["corporate-proxy"],
        excludedConfigurations: ["conda"],
        packages: ["pandas[parquet]>=2,<3", "numpy==2.1.0"]
    )

    static let request = ProviderV1SessionRequest(
        sessionID: "s-42",
        workspace: "default",
        name: "train",
        ideKind: .vscode,
        image: "ghcr.io/example/code:1",
        command: ["code-server", "--bind-addr", "127.0.0.1:${SESSION_PORT}"],
        resources: resources,
        computePool: "gpu",
        env: ["LOG_LEVEL": "debug", "API_TOKEN": "s3cr3t"],
        secretNames: ["API_TOKEN"],
        homeVolume: ProviderV1HomeVolume(source: .existingClaim("home-alice")),
        dataVolumes: [dataVolume],
        dataLinks: [
            ProviderV1DataLink(
                id: "dl-1", workspace: "default", name: "biopharmax-experiments",
                location: "s3://biopharmaX/experiments", description: "raw data",
                mountPath: "/workspace/data/biopharmax-experiments", readOnly: true)
        ],
        durationLimit: ProtobufDuration(seconds: 3600),
        restoreFrom: checkpoint,
        spec: spec,
        agentToken: "sga-0123",
        packages: ["numpy==2.1.0", "pandas[parquet]>=2,<3"]
    )

    static let status = ProviderV1SessionStatus(
        sessionID: "s-42", handle: "pgid:4242", state: .running, reason: "serving",
        connection: ProviderV1Connection(url: "http://127.0.0.1:40001/lab", accessToken: "tok-123"),
        timeLeft: ProtobufDuration(seconds: 1800), agentAddress: "127.0.0.1:40002")
}
