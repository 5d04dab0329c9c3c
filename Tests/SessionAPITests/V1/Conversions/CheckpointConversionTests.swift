import RPCTransport
import SessionAPI
import SessionSDK
import Testing

/// `Checkpoint` → `V1Checkpoint`: the public view leaves the provider's location out.
struct CheckpointConversionTests {
    @Test func publicCheckpointCarriesTheWorkspaceAndNotTheLocation() throws {
        let checkpoint = Checkpoint(
            id: CheckpointID(rawValue: "c-7"), session: SessionID(rawValue: "s-42"), name: "before_upgrade",
            trigger: .pause, sizeBytes: 123_456_789, location: "/secret/place/c-7.tar", createdAt: 1_700_000_050.75)
        let message = V1Checkpoint(checkpoint, workspace: .default)
        #expect(message == V1Fixtures.checkpoint)
        let bytes = try message.protobufBytes()
        #expect(!String(decoding: bytes, as: UTF8.self).contains("/secret/place"))
    }
}
