import RPCTransport
import SessionAPI
import Testing

/// Strings with NUL characters arriving on the wire are refused before protobuf-c
/// would cut them short. The inputs were made with protoc 3.21.12 from `proto/`, for
/// example `printf 'workspace: "default"\nsession_id: "admin\\000evil"\n' |
/// protoc --encode=sessiongw.v1.GetSessionRequest sessiongw/v1/session_service.proto`.
struct WireStringCheckTests {
    /// Runs `decode` and checks that it throws `INVALID_ARGUMENT` naming `field`.
    private func expectRefused(_ field: String, sourceLocation: SourceLocation = #_sourceLocation, _ decode: () throws -> Void) {
        do {
            try decode()
            Issue.record("decoded a message with a NUL in \(field)", sourceLocation: sourceLocation)
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument, sourceLocation: sourceLocation)
            #expect(error.message == "\(field) contains a NUL character", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func topLevelStringIsNotTruncatedButRefused() {
        // session_id: "admin\000evil" — protobuf-c alone would decode "admin".
        let bytes: [UInt8] = [
            0x0A, 0x07, 0x64, 0x65, 0x66, 0x61, 0x75, 0x6C, 0x74, 0x12, 0x0A, 0x61, 0x64, 0x6D, 0x69, 0x6E, 0x00, 0x65,
            0x76, 0x69, 0x6C,
        ]
        expectRefused("session_id") { _ = try V1GetSessionRequest(protobufBytes: bytes) }
    }

    @Test func nestedRepeatedAndMapStringsAreRefused() {
        // spec { env { name: "A\000B" value: "x" } }
        expectRefused("spec.env.name") {
            _ = try V1CreateSessionRequest(protobufBytes: [0x1A, 0x0A, 0x3A, 0x08, 0x0A, 0x03, 0x41, 0x00, 0x42, 0x12, 0x01, 0x78])
        }
        // spec { labels { key: "team" value: "m\000l" } }
        expectRefused("spec.labels.value") {
            _ = try V1CreateSessionRequest(protobufBytes: [
                0x1A, 0x0D, 0x5A, 0x0B, 0x0A, 0x04, 0x74, 0x65, 0x61, 0x6D, 0x12, 0x03, 0x6D, 0x00, 0x6C,
            ])
        }
        // spec { data_link_ids: "ok" data_link_ids: "d\000" }
        expectRefused("spec.data_link_ids") {
            _ = try V1CreateSessionRequest(protobufBytes: [0x1A, 0x08, 0x52, 0x02, 0x6F, 0x6B, 0x52, 0x02, 0x64, 0x00])
        }
        // session { restore_from { location: "/x\000" } }
        expectRefused("session.restore_from.location") {
            _ = try ProviderV1CreateSessionRequest(protobufBytes: [0x0A, 0x07, 0x7A, 0x05, 0x32, 0x03, 0x2F, 0x78, 0x00])
        }
    }

    @Test func bytesFieldsMayHoldNUL() throws {
        // output: "a\000b"
        let response = try ProviderV1ExecuteResponse(protobufBytes: [0x12, 0x03, 0x61, 0x00, 0x62])
        #expect(response.output == [0x61, 0x00, 0x62])
    }

    @Test func malformedBytesStillFailAsBefore() {
        // A string field claiming 10 bytes with 2 present: not a NUL problem, not a message.
        #expect(throws: (any Error).self) { try V1GetSessionRequest(protobufBytes: [0x12, 0x0A, 0x41, 0x42]) }
        #expect(throws: (any Error).self) { try V1GetSessionRequest(protobufBytes: [0xFF]) }
    }

    @Test func unknownFieldsAreSkipped() throws {
        // Field 15 (unknown to GetSessionRequest) holding "\0", then session_id: "s".
        let request = try V1GetSessionRequest(protobufBytes: [0x7A, 0x01, 0x00, 0x12, 0x01, 0x73])
        #expect(request.sessionID == "s")
    }
}
