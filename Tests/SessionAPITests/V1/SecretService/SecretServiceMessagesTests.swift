import RPCTransport
import SessionAPI
import Testing

/// Every message of `sessiongw/v1/secret_service.proto` through protobuf-c and back.
struct SecretServiceMessagesTests {
    static let secret = V1Secret(
        workspace: "team-a", name: "api-token", environmentVariable: "API_TOKEN",
        createTime: ProtobufTimestamp(seconds: 1_700_000_000), updateTime: ProtobufTimestamp(seconds: 1_700_000_060, nanos: 5),
        updatedBy: "alice")

    static let cases: [MessageCase] = [
        .of(V1CreateSecretRequest(workspace: "team-a", name: "api-token", value: "s3cr3t\u{00e9}", environmentVariable: "API_TOKEN", replace: true)),
        .of(Self.secret),
        .of(V1ListSecretsRequest(workspace: "team-a")),
        .of(V1ListSecretsResponse(secrets: [Self.secret])),
        .of(V1DeleteSecretRequest(workspace: "team-a", name: "api-token")),
    ]

    @Test(arguments: cases)
    func roundTrip(_ message: MessageCase) throws {
        try message.run()
    }
}
