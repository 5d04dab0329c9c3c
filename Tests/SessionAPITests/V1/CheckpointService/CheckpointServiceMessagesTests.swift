import SessionAPI
import Testing

/// Every message of `sessiongw/v1/checkpoint_service.proto` through protobuf-c and back.
struct CheckpointServiceMessagesTests {
    static let cases: [MessageCase] = [
        .of(V1ListCheckpointsRequest(workspace: "team-a", sessionID: "s-42", pageSize: 10, pageToken: "c2")),
        .of(V1ListCheckpointsResponse(checkpoints: [V1Fixtures.checkpoint], nextPageToken: "c3", inherited: [V1Fixtures.checkpoint])),
        .of(V1GetCheckpointRequest(workspace: "team-a", checkpointID: "c-7")),
        .of(V1RenameCheckpointRequest(workspace: "team-a", checkpointID: "c-7", newName: "before upgrade")),
    ]

    @Test(arguments: cases)
    func roundTrip(_ message: MessageCase) throws {
        try message.run()
    }
}
