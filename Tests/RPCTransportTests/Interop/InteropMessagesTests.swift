import RPCInterop
import RPCTransport
import Testing

@Suite struct InteropMessagesTests {
    /// One value of every message type, each field set to something other than its
    /// default: nested messages, repeated fields, bytes with zero bytes, unicode.
    static let samples: [any RPCMessage & Hashable] = [
        Empty(),
        BoolValue(true),
        Payload(type: .unrecognized(7), body: [0, 1, 0, 255, 0]),
        EchoStatus(code: -3, message: "héllo ☃ 日本語 🎉\t\"quoted\""),
        SimpleRequest(
            responseType: .unrecognized(-2),
            responseSize: 314_159,
            payload: Payload(body: [0, 0, 7, 0]),
            fillUsername: true,
            fillOauthScope: true,
            responseCompressed: BoolValue(false),
            responseStatus: EchoStatus(code: 2, message: "ünïcode"),
            expectCompressed: BoolValue(true),
            fillServerID: true,
            fillGrpclbRouteType: true
        ),
        SimpleResponse(
            payload: Payload(body: [0]),
            username: "user@example.com",
            oauthScope: "scope/ζ",
            serverID: "server-1",
            grpclbRouteType: .backend,
            hostname: "host.example"
        ),
        StreamingInputCallRequest(payload: Payload(body: [0, 0]), expectCompressed: BoolValue(false)),
        StreamingInputCallResponse(aggregatedPayloadSize: 74_922),
        ResponseParameters(size: 31_415, intervalUs: -1, compressed: BoolValue(true)),
        StreamingOutputCallRequest(
            responseType: .compressable,
            responseParameters: [
                ResponseParameters(size: 9),
                ResponseParameters(size: 2_653, intervalUs: 1_000, compressed: BoolValue(false)),
                ResponseParameters(),
            ],
            payload: Payload(body: [0, 1]),
            responseStatus: EchoStatus(code: 13, message: "multi\nline")
        ),
        StreamingOutputCallResponse(payload: Payload(body: [UInt8](repeating: 0, count: 1_000))),
        EchoMessage(payload: [0, 0, 0, 42, 0]),
    ]

    @Test(arguments: samples)
    func roundTripsThroughProtobufC(_ message: any RPCMessage & Hashable) throws {
        let bytes = try message.protobufBytes()
        let decoded = try type(of: message).init(protobufBytes: bytes)
        #expect(AnyHashable(decoded) == AnyHashable(message))
        #expect(bytes.isEmpty == (message is Empty))
    }

    @Test func presentButDefaultSubmessagesStayPresent() throws {
        let request = SimpleRequest(payload: Payload(), responseCompressed: BoolValue(false))
        let decoded = try SimpleRequest(protobufBytes: try request.protobufBytes())
        #expect(decoded.payload == Payload())
        #expect(decoded.responseCompressed == BoolValue(false))
        #expect(decoded.responseStatus == nil)
    }

    @Test func simpleRequestHasTheExpectedWireBytes() throws {
        // response_size (2) = 5: key 0x10, varint 5. payload (3): key 0x1A, length 4,
        // then Payload.body (2): key 0x12, length 2, bytes 00 01. type = 0 is omitted.
        let request = SimpleRequest(responseSize: 5, payload: Payload(body: [0, 1]))
        let expected: [UInt8] = [0x10, 0x05, 0x1A, 0x04, 0x12, 0x02, 0x00, 0x01]
        #expect(try request.protobufBytes() == expected)
        #expect(try SimpleRequest(protobufBytes: expected) == request)
    }

    @Test func negativeInt32AndUnicodeHaveTheExpectedWireBytes() throws {
        // code (1) = -1 is a ten-byte varint; message (2) = "é" is UTF-8 C3 A9.
        let status = EchoStatus(code: -1, message: "é")
        let expected: [UInt8] = [0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x01, 0x12, 0x02, 0xC3, 0xA9]
        #expect(try status.protobufBytes() == expected)
    }

    @Test func repeatedMessagesHaveTheExpectedWireBytes() throws {
        // Each response_parameters (2) entry is its own length-delimited field:
        // {size: 1} = 08 01; {interval_us: 300} = 10 AC 02.
        let request = StreamingOutputCallRequest(responseParameters: [
            ResponseParameters(size: 1), ResponseParameters(intervalUs: 300),
        ])
        let expected: [UInt8] = [0x12, 0x02, 0x08, 0x01, 0x12, 0x03, 0x10, 0xAC, 0x02]
        #expect(try request.protobufBytes() == expected)
        #expect(try StreamingOutputCallRequest(protobufBytes: expected) == request)
    }

    @Test func unknownFieldsAreSkipped() throws {
        // Field 15 (varint 1) is not part of BoolValue; value (1) = true follows.
        #expect(try BoolValue(protobufBytes: [0x78, 0x01, 0x08, 0x01]) == BoolValue(true))
    }

    @Test(arguments: [
        [0xFF, 0xFF, 0xFF] as [UInt8],  // a key whose varint never ends
        [0x12, 0x05, 0x00, 0x01],  // body (2) claims 5 bytes, 2 follow
        [0x1A, 0x02, 0x12, 0x05],  // a nested message whose own field overruns it
        [0x0B, 0x01],  // wire type 3, a group start, with no end
    ])
    func garbageFailsToDecode(_ bytes: [UInt8]) {
        #expect(throws: (any Error).self) { try SimpleRequest(protobufBytes: bytes) }
    }

    @Test func wrongWireTypeForAKnownFieldFailsToDecode() {
        // Payload.body (2) sent as a varint instead of length-delimited bytes.
        #expect(throws: (any Error).self) { try Payload(protobufBytes: [0x10, 0x01]) }
    }

    @Test func enumsKeepValuesTheyDoNotName() throws {
        #expect(PayloadType(rawValue: 0) == .compressable)
        #expect(PayloadType(rawValue: 5) == .unrecognized(5))
        #expect(GrpclbRouteType(rawValue: 2) == .backend)
        #expect(GrpclbRouteType(rawValue: 9).rawValue == 9)
        let response = SimpleResponse(grpclbRouteType: .unrecognized(1_000))
        #expect(try SimpleResponse(protobufBytes: try response.protobufBytes()).grpclbRouteType == .unrecognized(1_000))
    }
}
