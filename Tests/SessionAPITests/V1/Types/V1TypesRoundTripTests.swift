import RPCTransport
import SessionAPI
import Testing

/// Every message of `sessiongw/v1/types.proto` through protobuf-c and back.
struct V1TypesRoundTripTests {
    static let cases: [MessageCase] = [
        .of(V1Fixtures.resources),
        .of(V1Fixtures.plainVariable, "plain value"),
        .of(V1Fixtures.secretVariable, "secret reference"),
        .of(V1EnvVar(name: "EMPTY", source: .value("")), "empty plain value stays set"),
        .of(V1Fixtures.newHome, "new volume"),
        .of(V1Fixtures.existingHome, "existing claim"),
        .of(V1Fixtures.dataVolume),
        .of(V1Fixtures.spec),
        .of(Self.link, "link with expiry"),
        .of(Self.sharedSession, "with connected users"),
        .of(V1ConnectedUser(
            user: "alice", sinceTime: ProtobufTimestamp(seconds: 10, nanos: 500_000_000),
            lastSeenTime: ProtobufTimestamp(seconds: 20, nanos: 250_000_000), openConnections: 2)),
        .of(V1Fixtures.checkpoint),
        .of(V1Fixtures.readOnlyMount),
        .of(V1Fixtures.presetImage),
        .of(V1Fixtures.podSize),
        .of(V1Fixtures.preset),
        .of(V1Fixtures.computeEnvironment),
        .of(V1Fixtures.event),
    ]

    /// A connection from the gateway's connection proxy: every field set.
    static let link = V1Connection(
        url: "http://127.0.0.1:8081/sessions/default/s-1/?access_token=sgl-x", accessToken: "sgl-x",
        accessTokenExpireTime: ProtobufTimestamp(seconds: 1_700_000_600))

    /// The fixture session with users connected to it, a cost, a utilization sample, an
    /// idle status and warnings: every field set.
    static var sharedSession: V1Session {
        var session = V1Fixtures.session
        session.connectedUsers = [
            V1ConnectedUser(
                user: "alice", sinceTime: ProtobufTimestamp(seconds: 1), lastSeenTime: ProtobufTimestamp(seconds: 2),
                openConnections: 1),
            V1ConnectedUser(user: "bob", sinceTime: ProtobufTimestamp(seconds: 3), lastSeenTime: ProtobufTimestamp(seconds: 4)),
        ]
        session.cost = V1SessionCost(
            currency: "USD", hourlyRate: 0.25, runningHourlyRate: 2.5, accumulated: 12.75, computeHeld: ProtobufDuration(seconds: 3600))
        session.utilization = V1UtilizationSample(
            time: ProtobufTimestamp(seconds: 5), cpuCores: 1.5, memoryUsedBytes: 1 << 30, memoryLimitBytes: 4 << 30,
            diskUsedBytes: 2 << 30, diskTotalBytes: 10 << 30,
            gpus: [
                V1GpuSample(
                    index: 1, name: "NVIDIA H100 80GB HBM3", utilizationPercent: 35, utilizationUnavailable: true,
                    memoryUsedBytes: 1 << 30, memoryTotalBytes: 80 << 30),
            ])
        session.idle = V1IdleStatus(
            idle: true, quietSince: ProtobufTimestamp(seconds: 6), lastActiveSignal: "terminal",
            signals: [
                V1IdleSignal(name: "cpu", lastActiveTime: ProtobufTimestamp(seconds: 4)),
                V1IdleSignal(name: "terminal", lastActiveTime: ProtobufTimestamp(seconds: 6, nanos: 500)),
            ],
            idleTime: ProtobufTimestamp(seconds: 3606), cullTime: ProtobufTimestamp(seconds: 7206))
        session.warnings = ["image 'legacy' of preset 'lab' is DEPRECATED", "a second warning"]
        return session
    }

    @Test(arguments: cases)
    func roundTrip(_ message: MessageCase) throws {
        try message.run()
    }

    @Test func emptyMessagesEncodeToNoBytes() throws {
        #expect(try V1SessionSpec().protobufBytes().isEmpty)
        #expect(try V1Session().protobufBytes().isEmpty)
        #expect(try V1Session(protobufBytes: []) == V1Session())
    }

    @Test func unsetOneofDecodesAsNil() throws {
        let decoded = try V1EnvVar(protobufBytes: V1EnvVar(name: "X").protobufBytes())
        #expect(decoded.source == nil)
        #expect(try V1HomeVolume(protobufBytes: []).source == nil)
    }

    @Test func unknownEnumValuesSurvive() throws {
        var session = V1Fixtures.session
        session.state = .unrecognized(42)
        let decoded = try V1Session(protobufBytes: session.protobufBytes())
        #expect(decoded.state == .unrecognized(42))
        #expect(decoded.state.rawValue == 42)
        #expect(V1SessionState(rawValue: 5) == .running)
    }

    @Test func mapsEncodeTheSameWhateverTheInsertionOrder() throws {
        var first = V1SessionSpec()
        var second = V1SessionSpec()
        let keys = (0..<50).map { "key-\($0)" }
        for key in keys { first.labels[key] = key.uppercased() }
        for key in keys.reversed() { second.labels[key] = key.uppercased() }
        #expect(try first.protobufBytes() == second.protobufBytes())
        #expect(try V1SessionSpec(protobufBytes: first.protobufBytes()).labels.count == 50)
    }

    @Test func malformedBytesAreRefused() {
        // Field 1 (id) as a length-delimited string claiming 10 bytes, with 2 present.
        #expect(throws: (any Error).self) { try V1Session(protobufBytes: [0x0A, 0x0A, 0x41, 0x42]) }
    }
}
