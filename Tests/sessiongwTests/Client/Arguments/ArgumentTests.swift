import RPCTransport
import ArgumentParser
import SessionAPI
import Testing
@testable import sessiongw

@Suite struct ArgumentTests {
    @Test(arguments: [
        ("A=1", KeyValueArgument(key: "A", value: "1")),
        ("A=", KeyValueArgument(key: "A", value: "")),
        ("URL=http://x?a=b", KeyValueArgument(key: "URL", value: "http://x?a=b")),
    ])
    func keyValueSplitsAtFirstEquals(text: String, expected: KeyValueArgument) {
        #expect(KeyValueArgument(argument: text) == expected)
    }

    @Test(arguments: ["A", "=1", ""])
    func keyValueRefusesMissingKeyOrEquals(text: String) {
        #expect(KeyValueArgument(argument: text) == nil)
    }

    @Test func keyValueDictionaryRefusesDuplicates() throws {
        let pairs = [KeyValueArgument(key: "a", value: "1"), KeyValueArgument(key: "b", value: "2")]
        #expect(try KeyValueArgument.dictionary(pairs, option: "--label") == ["a": "1", "b": "2"])
        #expect(throws: ValidationError.self) {
            try KeyValueArgument.dictionary(pairs + [KeyValueArgument(key: "a", value: "3")], option: "--label")
        }
    }

    @Test(arguments: [
        ("5GiB", Int64(5) << 30), ("5gi", Int64(5) << 30), ("512MiB", Int64(512) << 20), ("1.5GiB", Int64(3) << 29),
        ("2G", 2_000_000_000), ("10KB", 10_000), ("1048576", 1_048_576), ("100B", 100), ("1 TiB", Int64(1) << 40),
    ])
    func byteSizes(text: String, bytes: Int64) {
        #expect(ByteSizeArgument(argument: text)?.bytes == bytes)
    }

    @Test(arguments: ["0", "-1GiB", "GiB", "5XB", "", "1e30GiB", "nan"])
    func byteSizesRefused(text: String) {
        #expect(ByteSizeArgument(argument: text) == nil)
    }

    @Test(arguments: [
        ("8h", Duration.seconds(8 * 3600)), ("1h30m", .seconds(5400)), ("45s", .seconds(45)),
        ("500ms", .milliseconds(500)), ("1.5h", .seconds(5400)), ("2d", .seconds(172_800)), ("none", .zero), ("0", .zero),
    ])
    func durations(text: String, expected: Duration) {
        #expect(DurationArgument(argument: text)?.duration == expected)
    }

    @Test(arguments: ["5", "h", "-5m", "5x", "", "5m3"])
    func durationsRefused(text: String) {
        #expect(DurationArgument(argument: text) == nil)
    }

    @Test func durationDescriptionRoundTrips() {
        #expect(DurationArgument(.seconds(300)).description == "5m")
        #expect(DurationArgument(.milliseconds(1500)).description == "1s500ms")
        #expect(DurationArgument(argument: DurationArgument(.seconds(5400)).description)?.duration == .seconds(5400))
    }

    @Test(arguments: [
        ("running", V1SessionState.running), ("PAUSED", .paused), ("build-failed", .buildFailed), ("Build_Failed", .buildFailed),
    ])
    func states(text: String, expected: V1SessionState) {
        #expect(SessionStateArgument(argument: text)?.state == expected)
    }

    @Test(arguments: ["unspecified", "run", "", "5"])
    func statesRefused(text: String) {
        #expect(SessionStateArgument(argument: text) == nil)
    }

    @Test func environmentPutsPlainFirstAndRefusesDuplicates() throws {
        let variables = try SessionSpecArguments.environment(
            plain: [KeyValueArgument(key: "A", value: "1")], secret: [KeyValueArgument(key: "K", value: "key")])
        #expect(variables == [V1EnvVar(name: "A", source: .value("1")), V1EnvVar(name: "K", source: .secretRef("key"))])
        #expect(throws: ValidationError.self) {
            try SessionSpecArguments.environment(
                plain: [KeyValueArgument(key: "A", value: "1")], secret: [KeyValueArgument(key: "A", value: "s")])
        }
        #expect(throws: ValidationError.self) {
            try SessionSpecArguments.environment(plain: [], secret: [KeyValueArgument(key: "K", value: "")])
        }
    }

    @Test func specChangesNameExactlyTheChangedFields() throws {
        var changes = SessionSpecChanges()
        changes.podSize = "large"
        changes.labels = [KeyValueArgument(key: "team", value: "ml")]
        changes.durationLimit = DurationArgument(.zero)
        let request = try changes.request(workspace: "w", sessionID: "s-1")
        #expect(request.updateMask?.paths == ["pod_size", "labels", "duration_limit"])
        #expect(request.spec?.podSize == "large")
        #expect(request.spec?.labels == ["team": "ml"])
        #expect(request.spec?.durationLimit == nil, "--duration 0 removes the limit")
        #expect(request.workspace == "w" && request.sessionID == "s-1")
    }

    @Test func specChangesClearWithEmptyValues() throws {
        var changes = SessionSpecChanges()
        changes.clearEnv = true
        changes.clearDataLinks = true
        let request = try changes.request(workspace: "", sessionID: "s")
        #expect(request.updateMask?.paths == ["env", "data_link_ids"])
        #expect(request.spec?.env == [] && request.spec?.dataLinkIDs == [])
    }

    @Test func specChangesRefuseNothingAndContradictions() {
        #expect(throws: ValidationError.self) { try SessionSpecChanges().request(workspace: "", sessionID: "s") }
        var changes = SessionSpecChanges()
        changes.clearLabels = true
        changes.labels = [KeyValueArgument(key: "a", value: "b")]
        #expect(throws: ValidationError.self) { try changes.request(workspace: "", sessionID: "s") }
    }
}
