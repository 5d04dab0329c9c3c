import SessionAPI
import Testing

/// Every message of `sessiongw/provider/v1/provider.proto` through protobuf-c and back.
struct ProviderV1MessagesTests {
    static let cases: [MessageCase] = [
        .of(ProviderV1Fixtures.request),
        .of(ProviderV1Fixtures.status),
        .of(ProviderV1Fixtures.checkpoint),
        .of(ProviderV1GetIdentityRequest()),
        .of(ProviderV1GetIdentityResponse(name: "local", version: "1.0.0", capabilities: ["PAUSE_RESUME", "WATCH"])),
        .of(ProviderV1ProbeRequest()),
        .of(ProviderV1ProbeResponse(ready: true, message: "connected to slurmrestd")),
        .of(ProviderV1CreateSessionRequest(session: ProviderV1Fixtures.request)),
        .of(ProviderV1CreateSessionResponse(status: ProviderV1Fixtures.status)),
        .of(ProviderV1PauseSessionRequest(handle: "pgid:4242")),
        .of(ProviderV1PauseSessionResponse(status: ProviderV1Fixtures.status)),
        .of(ProviderV1ResumeSessionRequest(handle: "pgid:4242", session: ProviderV1Fixtures.request)),
        .of(ProviderV1ResumeSessionResponse(status: ProviderV1Fixtures.status)),
        .of(ProviderV1DeleteSessionRequest(handle: "pgid:4242")),
        .of(ProviderV1DeleteSessionResponse()),
        .of(ProviderV1DescribeSessionRequest(handle: "pgid:4242")),
        .of(ProviderV1DescribeSessionResponse(status: ProviderV1Fixtures.status)),
        .of(ProviderV1ListSessionsRequest()),
        .of(ProviderV1ListSessionsResponse(sessions: [ProviderV1Fixtures.status, ProviderV1Fixtures.status])),
        .of(ProviderV1WatchSessionsRequest()),
        .of(ProviderV1WatchSessionsResponse(status: ProviderV1Fixtures.status)),
        .of(ProviderV1CreateCheckpointRequest(handle: "pgid:4242", checkpoint: ProviderV1Fixtures.checkpoint)),
        .of(ProviderV1CreateCheckpointResponse(checkpoint: ProviderV1Fixtures.checkpoint)),
        .of(ProviderV1DeleteCheckpointRequest(checkpoint: ProviderV1Fixtures.checkpoint)),
        .of(ProviderV1DeleteCheckpointResponse()),
        .of(ProviderV1RecoverSessionRequest(handle: "pgid:4242")),
        .of(ProviderV1RecoverSessionResponse(status: ProviderV1Fixtures.status)),
        .of(ProviderV1ExecuteRequest(handle: "pgid:4242", command: ["sh", "-c", "echo hi > /workspace/data/x/f"])),
        .of(ProviderV1ExecuteResponse(exitCode: 1, output: [0x68, 0x00, 0xFF], errorOutput: Array("denied\n".utf8)),
            "binary output with NUL"),
    ]

    @Test(arguments: cases)
    func roundTrip(_ message: MessageCase) throws {
        try message.run()
    }
}
