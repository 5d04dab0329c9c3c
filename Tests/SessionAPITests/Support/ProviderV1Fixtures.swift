import RPCTransport
import SessionAPI

/// `sessiongw.provider.v1` messages with every field set to a value other than its default.
enum ProviderV1Fixtures {
    static let checkpoint = ProviderV1Checkpoint(
        id: "c-7", sessionID: "s-42", name: "start", trigger: .start, sizeBytes: 4096,
        location: "/var/lib/sessiongw/checkpoints/c-7.tar", createTime: ProtobufTimestamp(seconds: 1_700_000_000, nanos: 500_000_000))

    static let request = ProviderV1SessionRequest(
        sessionID: "s-42",
        workspace: "default",
        name: "train",
        ideKind: .vscode,
        image: "ghcr.io/example/code:1",
        command: ["code-server", "--bind-addr", "127.0.0.1:${SESSION_PORT}"],
        resources: V1Fixtures.resources,
        computePool: "gpu",
        env: ["LOG_LEVEL": "debug", "API_TOKEN": "s3cr3t"],
        secretNames: ["API_TOKEN"],
        homeVolume: V1Fixtures.existingHome,
        dataVolumes: [V1Fixtures.dataVolume],
        dataLinks: [V1Fixtures.readOnlyMount],
        durationLimit: ProtobufDuration(seconds: 3600),
        restoreFrom: checkpoint
    )

    static let status = ProviderV1SessionStatus(
        sessionID: "s-42", handle: "pgid:4242", state: .running, reason: "serving", connection: V1Fixtures.connection,
        timeLeft: ProtobufDuration(seconds: 1800))
}
