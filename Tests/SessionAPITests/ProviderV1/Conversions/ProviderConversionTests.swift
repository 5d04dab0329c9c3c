import RPCTransport
import SessionAPI
import SessionSDK
import Testing

/// The provider plugin messages ↔ the `SessionProvider` types.
struct ProviderConversionTests {
    @Test func sessionRequestBothWays() throws {
        #expect(try ProviderV1SessionRequest(ModelFixtures.providerRequest) == ProviderV1Fixtures.request)
        #expect(try ProviderSessionRequest(ProviderV1Fixtures.request) == ModelFixtures.providerRequest)
    }

    @Test func sessionRequestCarriesResolvedSecretsToTheProvider() throws {
        let decoded = try ProviderV1SessionRequest(protobufBytes: ProviderV1Fixtures.request.protobufBytes())
        let request = try ProviderSessionRequest(decoded)
        #expect(request.environment["API_TOKEN"] == "s3cr3t")
        #expect(request.secretNames == ["API_TOKEN"])
    }

    @Test func aSessionWithoutAnAgentHasNoTokenOrAddress() throws {
        // Without them: an empty token and address on the wire, nil in the SDK.
        var request = ModelFixtures.providerRequest
        request.agentToken = nil
        let sent = try ProviderV1SessionRequest(protobufBytes: ProviderV1SessionRequest(request).protobufBytes())
        #expect(sent.agentToken == "")
        #expect(try ProviderSessionRequest(sent).agentToken == nil)

        var status = ModelFixtures.providerStatus
        status.connection?.agentAddress = nil
        let reported = try ProviderV1SessionStatus(protobufBytes: ProviderV1SessionStatus(status).protobufBytes())
        #expect(reported.agentAddress == "")
        #expect(try ProviderSessionStatus(reported).connection?.agentAddress == nil)
    }

    @Test func statusBothWays() throws {
        #expect(try ProviderV1SessionStatus(ModelFixtures.providerStatus) == ProviderV1Fixtures.status)
        #expect(try ProviderSessionStatus(ProviderV1Fixtures.status) == ModelFixtures.providerStatus)
    }

    @Test func timeLeftIsPresentOnlyWithADurationLimit() throws {
        var message = ProviderV1Fixtures.status
        message.timeLeft = nil
        #expect(try ProviderSessionStatus(message).timeLeft == nil)
        message.timeLeft = ProtobufDuration()
        #expect(try ProviderSessionStatus(message).timeLeft == .zero, "an exhausted limit is not 'no limit'")
        var status = ModelFixtures.providerStatus
        status.timeLeft = .zero
        #expect(try ProviderV1SessionStatus(status).timeLeft == ProtobufDuration())
        status.timeLeft = .seconds(-3)
        #expect(try ProviderV1SessionStatus(status).timeLeft == ProtobufDuration())
        status.timeLeft = .milliseconds(1500)
        #expect(try ProviderV1SessionStatus(status).timeLeft == ProtobufDuration(seconds: 1, nanos: 500_000_000))
        status.timeLeft = nil
        #expect(try ProviderV1SessionStatus(status).timeLeft == nil)
    }

    @Test func checkpointBothWaysWithItsLocation() throws {
        #expect(ProviderV1Checkpoint(ModelFixtures.checkpoint) == ProviderV1Fixtures.checkpoint)
        #expect(try Checkpoint(ProviderV1Fixtures.checkpoint) == ModelFixtures.checkpoint)
    }

    @Test func identityAndCapabilities() throws {
        let capabilities: Set<ProviderCapability> = [.pauseResume, .checkpoints, .watch]
        let message = ProviderV1GetIdentityResponse(
            identity: ProviderIdentity(name: "slurm", version: "0.3.1"), capabilities: capabilities)
        #expect(message.capabilities == ["CHECKPOINTS", "PAUSE_RESUME", "WATCH"])
        #expect(try ProviderIdentity(message) == ProviderIdentity(name: "slurm", version: "0.3.1"))
        #expect(message.providerCapabilities == capabilities)
        let future = ProviderV1GetIdentityResponse(name: "x", version: "1", capabilities: ["TELEPORT", "", "WATCH"])
        #expect(future.providerCapabilities == [ProviderCapability(rawValue: "TELEPORT"), .watch])
        expectInvalid("name") { _ = try ProviderIdentity(ProviderV1GetIdentityResponse(name: "Slurm", version: "1")) }
        expectInvalid("name") { _ = try ProviderIdentity(ProviderV1GetIdentityResponse(version: "1")) }
        expectInvalid("version") { _ = try ProviderIdentity(ProviderV1GetIdentityResponse(name: "slurm")) }
    }

    @Test func readinessBothWays() throws {
        let readiness = ProviderReadiness(ready: false, message: "slurmctld is not answering")
        #expect(try ProviderReadiness(ProviderV1ProbeResponse(readiness)) == readiness)
        expectInvalid("message") { _ = try ProviderReadiness(ProviderV1ProbeResponse(ready: true, message: "\0")) }
    }

    @Test func executionResultBothWays() {
        let result = ExecutionResult(exitCode: 2, output: "héllo\n", errorOutput: "no such file\n")
        #expect(ExecutionResult(ProviderV1ExecuteResponse(result)) == result)
        let binary = ProviderV1ExecuteResponse(exitCode: 0, output: [0x61, 0x00, 0xFF], errorOutput: [])
        #expect(ExecutionResult(binary).output == "a\0\u{FFFD}")
    }

    /// A change that makes the fixture request invalid, and the field the error must name.
    struct InvalidRequest: Sendable, CustomTestStringConvertible {
        let field: String
        let change: @Sendable (inout ProviderV1SessionRequest) -> Void
        var testDescription: String { field }
    }

    static let invalidRequests: [InvalidRequest] = [
        InvalidRequest(field: "session.session_id") { $0.sessionID = "" },
        InvalidRequest(field: "session.name") { $0.name = "" },
        InvalidRequest(field: "session.ide_kind") { $0.ideKind = .unspecified },
        InvalidRequest(field: "session.image") { $0.image = "" },
        InvalidRequest(field: "session.command") { $0.command = [] },
        InvalidRequest(field: "session.command[1]") { $0.command[1] = "--bind\0" },
        InvalidRequest(field: "session.resources") { $0.resources = nil },
        InvalidRequest(field: "session.resources.cpu_millis") { $0.resources?.cpuMillis = 0 },
        InvalidRequest(field: "session.home_volume") { $0.homeVolume = nil },
        InvalidRequest(field: "session.home_volume") { $0.homeVolume = ProviderV1HomeVolume() },
        InvalidRequest(field: "session.env") { $0.env["NOT-A-NAME"] = "x" },
        InvalidRequest(field: "session.env['API_TOKEN']") { $0.env["API_TOKEN"] = "s3\0" },
        InvalidRequest(field: "session.secret_names[0]") { $0.secretNames = ["MISSING"] },
        InvalidRequest(field: "session.data_volumes[0].mount_path") { $0.dataVolumes[0].mountPath = "../x" },
        InvalidRequest(field: "session.data_links[0].mount_path") { $0.dataLinks[0].mountPath = "/etc" },
        InvalidRequest(field: "session.data_links[1].mount_path") { $0.dataLinks.append($0.dataLinks[0]) },
        InvalidRequest(field: "session.data_links[0].location") { $0.dataLinks[0].location = "s3://b/../../x" },
        InvalidRequest(field: "session.duration_limit") { $0.durationLimit = ProtobufDuration(seconds: -1) },
        InvalidRequest(field: "session.restore_from.trigger") { $0.restoreFrom?.trigger = .unspecified },
        InvalidRequest(field: "session.restore_from.size_bytes") { $0.restoreFrom?.sizeBytes = -1 },
    ]

    @Test(arguments: invalidRequests)
    func invalidRequestIsRefusedNamingTheField(_ invalid: InvalidRequest) {
        var message = ProviderV1Fixtures.request
        invalid.change(&message)
        expectInvalid(invalid.field) { _ = try ProviderSessionRequest(message) }
    }

    @Test func invalidStatusIsRefusedNamingTheField() {
        var message = ProviderV1Fixtures.status
        message.handle = ""
        expectInvalid("status.handle") { _ = try ProviderSessionStatus(message) }
        message = ProviderV1Fixtures.status
        message.state = .unrecognized(12)
        expectInvalid("status.state") { _ = try ProviderSessionStatus(message) }
        message = ProviderV1Fixtures.status
        message.timeLeft = ProtobufDuration(seconds: -1)
        expectInvalid("status.time_left") { _ = try ProviderSessionStatus(message) }
        message = ProviderV1Fixtures.status
        message.connection = ProviderV1Connection(url: "", accessToken: "t")
        expectInvalid("status.connection.url") { _ = try ProviderSessionStatus(message) }
    }
}
