import RPCTransport
import SessionAPI
import SessionSDK
import Testing

/// The shared field checks: NUL characters, required texts, defaults for workspaces.
struct APIFieldRulesTests {
    @Test func emptyWorkspaceMeansTheDefaultOne() throws {
        #expect(try WorkspaceID(validating: "") == .default)
        #expect(try WorkspaceID(validating: "team-a") == WorkspaceID(rawValue: "team-a"))
        expectInvalid("workspace", containing: "NUL") { _ = try WorkspaceID(validating: "team\0a") }
    }

    @Test func identifiersAreRequired() throws {
        #expect(try SessionID(validating: "s-1").rawValue == "s-1")
        #expect(try CheckpointID(validating: "c-1").rawValue == "c-1")
        #expect(try SessionHandle(validating: "job/42").rawValue == "job/42")
        expectInvalid("session_id", containing: "required") { _ = try SessionID(validating: "") }
        expectInvalid("checkpoint_id", containing: "required") { _ = try CheckpointID(validating: "") }
        expectInvalid("handle", containing: "required") { _ = try SessionHandle(validating: "") }
        expectInvalid("status.handle", containing: "NUL") { _ = try SessionHandle(validating: "\0", field: "status.handle") }
    }

    @Test(arguments: ["\0", "a\0", "\0b", "a\0b"])
    func nulAnywhereIsRefused(_ text: String) {
        expectInvalid("name", containing: "NUL") { _ = try APIFieldRules.text(text, field: "name") }
        expectInvalid("name") { _ = try APIFieldRules.required(text, field: "name") }
    }

    @Test func otherTextPasses() throws {
        #expect(try APIFieldRules.text("", field: "x").isEmpty)
        #expect(try APIFieldRules.text("ünïcödé ✓ \t", field: "x") == "ünïcödé ✓ \t")
        #expect(try APIFieldRules.texts(["a", "b"], field: "x") == ["a", "b"])
        expectInvalid("list[1]") { _ = try APIFieldRules.texts(["a", "\0"], field: "list") }
    }

    @Test func timesAndCounts() throws {
        #expect(try APIFieldRules.time(nil, field: "t") == 0)
        #expect(try APIFieldRules.time(ProtobufTimestamp(seconds: 2, nanos: 500_000_000), field: "t") == 2.5)
        #expect(try APIFieldRules.nonNegative(0, field: "n") == 0)
        expectInvalid("t") { _ = try APIFieldRules.time(ProtobufTimestamp(seconds: 1, nanos: 1_000_000_000), field: "t") }
        expectInvalid("t") { _ = try APIFieldRules.time(ProtobufTimestamp(seconds: -1), field: "t") }
        #expect(try APIFieldRules.duration(ProtobufDuration(seconds: 3, nanos: 5), field: "d") == .seconds(3) + .nanoseconds(5))
        #expect(try APIFieldRules.duration(nil, field: "d") == nil)
        expectInvalid("d") { _ = try APIFieldRules.duration(ProtobufDuration(seconds: -1), field: "d") }
        expectInvalid("d") { _ = try APIFieldRules.duration(ProtobufDuration(seconds: 0, nanos: -1), field: "d") }
        expectInvalid("n") { _ = try APIFieldRules.nonNegative(-1, field: "n") }
    }
}
