import RPCTransport
import SessionAPI
import Testing

/// The generated proto3 JSON mapping, as `--output json` prints it. Python's
/// `json_format` is the reference (Tests/gateway/test_generated_bindings.py compares a
/// whole table of messages); these pin the rules a script reading our output relies on.
@Suite struct ProtoJSONTests {
    static let always = ProtoJSONOptions(alwaysPrintFieldsWithNoPresence: true)

    @Test func sessionPrintsEveryFieldWithoutPresenceInProtoOrder() {
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
            + #""image":"python3","podSize":"","computeEnvironment":"local","computePool":"","#
            + #""env":[{"name":"A","value":"1"},{"name":"K","secretRef":"key"}],"homeVolume":{"newSizeBytes":"1024"},"#
            + #""dataVolumes":[],"dataLinkIds":["d-1"],"labels":{"a":"2","z":"1"},"durationLimitSeconds":"3600"},"#
            + #""state":"SESSION_STATE_RUNNING","stateReason":"serving","clonedFromCheckpointId":"","#
            + #""connectionUrl":"http://x","dataLinks":[],"createTimeSeconds":10,"updateTimeSeconds":11.5,"#
            + #""revision":"7","connectedUsers":[{"user":"bob","sinceSeconds":20,"lastSeenSeconds":21.5,"#
            + #""openConnections":1}]}"#
        #expect(session.jsonValue(options: Self.always).rendered(pretty: false) == expected)
    }

    @Test func defaultsAreLeftOutUnlessAsked() {
        let event = V1WatchSessionsResponse(type: .snapshotEnd, session: nil, revision: 0)
        #expect(event.jsonValue.rendered(pretty: false) == #"{"type":"WATCH_EVENT_TYPE_SNAPSHOT_END"}"#)
        #expect(event.jsonValue(options: Self.always).rendered(pretty: false)
            == #"{"type":"WATCH_EVENT_TYPE_SNAPSHOT_END","revision":"0"}"#)
    }

    @Test func unknownEnumValueIsItsNumber() {
        let checkpoint = V1Checkpoint(id: "c-1", trigger: .unrecognized(42))
        #expect(checkpoint.jsonValue.rendered(pretty: false) == #"{"id":"c-1","trigger":42}"#)
    }

    @Test func bytesAreBase64AndNonFiniteNumbersAreNamed() {
        let response = ProviderV1ExecuteResponse(exitCode: 0, output: Array("hi!".utf8), errorOutput: [0xFF])
        #expect(response.jsonValue.rendered(pretty: false) == #"{"output":"aGkh","errorOutput":"/w=="}"#)
        let user = V1ConnectedUser(user: "u", sinceSeconds: .infinity, lastSeenSeconds: -.infinity)
        #expect(user.jsonValue.rendered(pretty: false)
            == #"{"user":"u","sinceSeconds":"Infinity","lastSeenSeconds":"-Infinity"}"#)
    }
}
