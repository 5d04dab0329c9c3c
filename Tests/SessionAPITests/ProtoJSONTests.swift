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
                labels: ["z": "1", "a": "2"], durationLimit: ProtobufDuration(seconds: 3600)),
            state: .running, stateReason: "serving", connectionURL: "http://x", createTime: ProtobufTimestamp(seconds: 10),
            updateTime: ProtobufTimestamp(seconds: 11, nanos: 500_000_000), revision: 7,
            connectedUsers: [
                V1ConnectedUser(
                    user: "bob", sinceTime: ProtobufTimestamp(seconds: 20),
                    lastSeenTime: ProtobufTimestamp(seconds: 21, nanos: 500_000_000), openConnections: 1)
            ])
        let expected = #"{"id":"s-1","workspace":"default","name":"demo","owner":"admin","spec":{"preset":"notebook","#
            + #""image":"python3","podSize":"","computeEnvironment":"local","computePool":"","#
            + #""env":[{"name":"A","value":"1"},{"name":"K","secretRef":"key"}],"homeVolume":{"newSizeBytes":"1024"},"#
            + #""dataVolumes":[],"dataLinkIds":["d-1"],"labels":{"a":"2","z":"1"},"durationLimit":"3600s","#
            + #""excludeWorkspaceSecrets":false,"configurations":[],"excludedConfigurations":[],"packages":[]},"#
            + #""state":"SESSION_STATE_RUNNING","stateReason":"serving","clonedFromCheckpointId":"","#
            + #""connectionUrl":"http://x","dataLinks":[],"createTime":"1970-01-01T00:00:10Z","updateTime":"1970-01-01T00:00:11.500Z","#
            + #""revision":"7","connectedUsers":[{"user":"bob","sinceTime":"1970-01-01T00:00:20Z","#
            + #""lastSeenTime":"1970-01-01T00:00:21.500Z","#
            + #""openConnections":1}],"warnings":[]}"#
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
        #expect(ProtoJSON.double(.infinity) == .string("Infinity") && ProtoJSON.double(-.infinity) == .string("-Infinity"))
    }

    @Test func wellKnownTypesPrintAsProtobufDoes() {
        let dates: [(ProtobufTimestamp, String)] = [
            (ProtobufTimestamp(), "1970-01-01T00:00:00Z"),
            (ProtobufTimestamp(seconds: 1_700_000_000, nanos: 250_000_000), "2023-11-14T22:13:20.250Z"),
            (ProtobufTimestamp(seconds: 951_782_400, nanos: 1000), "2000-02-29T00:00:00.000001Z"),
            (ProtobufTimestamp(seconds: -1, nanos: 1), "1969-12-31T23:59:59.000000001Z"),
            (ProtobufTimestamp(seconds: 253_402_300_799), "9999-12-31T23:59:59Z"),
        ]
        for (timestamp, text) in dates { #expect(timestamp.jsonValue == .string(text)) }
        #expect(ProtobufDuration(seconds: 3600).jsonValue == .string("3600s"))
        #expect(ProtobufDuration(seconds: -1, nanos: -500_000_000).jsonValue == .string("-1.500s"))
        #expect(ProtobufDuration(seconds: 0, nanos: -1000).jsonValue == .string("-0.000001s"))
        #expect(ProtobufFieldMask(paths: ["labels", "data_link_ids"]).jsonValue == .string("labels,dataLinkIds"))
    }
}

/// The names people see for enum values (the CLI's tables and its `--state` filter).
@Suite struct ProtoEnumNameTests {
    @Test func shortNamesDropTheTypePrefix() {
        #expect(V1SessionState.buildFailed.shortName == "BUILD_FAILED")
        #expect(V1WatchEventType.snapshotEnd.shortName == "SNAPSHOT_END")
        #expect(V1IDEKind.jupyterlab.shortName == "JUPYTERLAB")
        #expect(V1SessionState.unrecognized(12).shortName == "12", "an unknown value is its number")
        #expect(V1SessionState.valueNamePrefix == "SESSION_STATE_")
    }
}
