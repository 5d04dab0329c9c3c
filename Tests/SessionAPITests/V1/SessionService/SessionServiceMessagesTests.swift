import RPCTransport
import SessionAPI
import Testing

/// Every message of `sessiongw/v1/session_service.proto` through protobuf-c and back.
struct SessionServiceMessagesTests {
    static let cases: [MessageCase] = [
        .of(V1Fixtures.filter),
        .of(V1CreateSessionRequest(workspace: "team-a", name: "train", spec: V1Fixtures.spec, allowExperimentalImage: true)),
        .of(V1GetSessionRequest(workspace: "team-a", sessionID: "s-42")),
        .of(V1ListSessionsRequest(workspace: "team-a", filter: V1Fixtures.filter, pageSize: 50, pageToken: "p2")),
        .of(V1ListSessionsResponse(sessions: [V1Fixtures.session, V1Session(id: "s-43")], nextPageToken: "p3", revision: 99)),
        .of(V1WatchSessionsRequest(workspace: "team-a", filter: V1Fixtures.filter, sinceRevision: 17)),
        .of(V1WatchSessionsResponse(type: .modified, session: V1Fixtures.session, revision: 18)),
        .of(V1UpdateSessionRequest(
            workspace: "team-a", sessionID: "s-42", spec: V1Fixtures.spec, updateMask: ProtobufFieldMask(paths: ["resources", "labels"]))),
        .of(V1PauseSessionRequest(workspace: "team-a", sessionID: "s-42")),
        .of(V1ResumeSessionRequest(workspace: "team-a", sessionID: "s-42")),
        .of(V1DeleteSessionRequest(workspace: "team-a", sessionID: "s-42", force: true)),
        .of(V1DeleteSessionResponse(session: V1Fixtures.session)),
        .of(V1CloneSessionRequest(
            workspace: "team-a", checkpointID: "c-7", name: "train-2", image: "pytorch-next", sessionID: "s-1", allowExperimentalImage: true)),
        .of(V1GetSessionConnectionRequest(workspace: "team-a", sessionID: "s-42")),
        .of(V1ListSessionEventsRequest(workspace: "team-a", sessionID: "s-42", pageSize: 20, pageToken: "e2")),
        .of(V1ListSessionEventsResponse(events: [V1Fixtures.event, V1Fixtures.event], nextPageToken: "e3")),
    ]

    @Test(arguments: cases)
    func roundTrip(_ message: MessageCase) throws {
        try message.run()
    }

    @Test func snapshotEndCarriesNoSession() throws {
        let marker = V1WatchSessionsResponse(type: .snapshotEnd, revision: 7)
        let decoded = try V1WatchSessionsResponse(protobufBytes: marker.protobufBytes())
        #expect(decoded.type == .snapshotEnd)
        #expect(decoded.session == nil)
        #expect(decoded.revision == 7)
    }
}
