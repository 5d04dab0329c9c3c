import SessionAPI
import Testing
@testable import sessiongw

@Suite struct APIMessagesJSONTests {
    @Test func sessionHasEveryFieldInProtoOrderWithSortedLabels() {
        let session = V1Session(
            id: "s-1", workspace: "default", name: "demo", owner: "admin",
            spec: V1SessionSpec(
                preset: "notebook", image: "python3", computeEnvironment: "local",
                env: [V1EnvVar(name: "A", source: .value("1")), V1EnvVar(name: "K", source: .secretRef("key"))],
                homeVolume: V1HomeVolume(source: .newSizeBytes(1024)), dataLinkIDs: ["d-1"],
                labels: ["z": "1", "a": "2"], durationLimitSeconds: 3600),
            state: .running, stateReason: "serving", connectionURL: "http://x", createTimeSeconds: 10,
            updateTimeSeconds: 11.5, revision: 7,
            connectedUsers: [V1ConnectedUser(user: "bob", sinceSeconds: 20, lastSeenSeconds: 21.5, openConnections: 1)])
        let expected = #"{"id":"s-1","workspace":"default","name":"demo","owner":"admin","spec":{"preset":"notebook","#
            + #""image":"python3","podSize":"","resources":null,"computeEnvironment":"local","computePool":"","#
            + #""env":[{"name":"A","value":"1"},{"name":"K","secretRef":"key"}],"homeVolume":{"newSizeBytes":1024},"#
            + #""dataVolumes":[],"dataLinkIds":["d-1"],"labels":{"a":"2","z":"1"},"durationLimitSeconds":3600},"#
            + #""state":"RUNNING","stateReason":"serving","clonedFromCheckpointId":"","connectionUrl":"http://x","#
            + #""dataLinks":[],"createTimeSeconds":10,"updateTimeSeconds":11.5,"revision":7,"#
            + #""connectedUsers":[{"user":"bob","sinceSeconds":20,"lastSeenSeconds":21.5,"openConnections":1}]}"#
        #expect(session.jsonValue.rendered(pretty: false) == expected)
    }

    @Test func absentSessionIsNullAndUnknownEnumIsItsNumber() {
        let event = V1WatchSessionsResponse(type: .snapshotEnd, session: nil, revision: 3)
        #expect(event.jsonValue.rendered(pretty: false) == #"{"type":"SNAPSHOT_END","session":null,"revision":3}"#)
        let checkpoint = V1Checkpoint(id: "c-1", trigger: .unrecognized(42))
        #expect(checkpoint.jsonValue.rendered(pretty: false).contains(#""trigger":42"#))
    }

    @Test func connectionIncludesTheToken() {
        let connection = V1Connection(url: "http://h", accessToken: "t", accessTokenExpireTimeSeconds: 60)
        #expect(connection.jsonValue.rendered(pretty: false)
            == #"{"url":"http://h","accessToken":"t","accessTokenExpireTimeSeconds":60}"#)
    }
}
