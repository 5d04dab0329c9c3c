import SessionAPI
import SessionSDK
import Testing

/// The enums of the API against the model's, both ways, with the wire numbers of the
/// `.proto` files.
struct EnumConversionTests {
    /// Each canonical state and its number in `types.proto`.
    static let states: [(SessionState, Int32)] = [
        (.pending, 1), (.building, 2), (.buildFailed, 3), (.starting, 4), (.running, 5), (.pausing, 6),
        (.paused, 7), (.failed, 8), (.deleting, 9), (.unknown, 10),
    ]

    @Test func everyCanonicalStateHasItsWireNumber() throws {
        #expect(Self.states.map(\.0) == SessionState.allCases)
        for (state, number) in Self.states {
            #expect(V1SessionState(state).rawValue == number, "\(state)")
            #expect(try SessionState(V1SessionState(rawValue: number)) == state)
        }
    }

    @Test func ideKindsImageTagsAndTriggersRoundTrip() throws {
        for kind in Preset.IDEKind.allCases { #expect(try Preset.IDEKind(V1IDEKind(kind)) == kind) }
        for tag in Preset.Image.Tag.allCases { #expect(try Preset.Image.Tag(V1ImageTag(tag)) == tag) }
        for trigger in Checkpoint.Trigger.allCases { #expect(try Checkpoint.Trigger(V1CheckpointTrigger(trigger)) == trigger) }
        #expect(V1IDEKind(.jupyterLab).rawValue == 1)
        #expect(V1IDEKind(.terminal).rawValue == 4)
        #expect(V1ImageTag(.experimental).rawValue == 3)
        #expect(V1CheckpointTrigger(.pause).rawValue == 3)
    }

    @Test func unspecifiedValuesAreRefusedNamingTheField() {
        expectInvalid("session.state", containing: "required") { _ = try SessionState(.unspecified, field: "session.state") }
        expectInvalid("preset.ide_kind") { _ = try Preset.IDEKind(.unspecified, field: "preset.ide_kind") }
        expectInvalid("images[0].tag") { _ = try Preset.Image.Tag(.unspecified, field: "images[0].tag") }
        expectInvalid("trigger") { _ = try Checkpoint.Trigger(.unspecified) }
    }

    @Test func unknownValuesAreRefusedNamingTheField() {
        expectInvalid("state", containing: "unknown value 77") { _ = try SessionState(.unrecognized(77)) }
        expectInvalid("ide_kind", containing: "unknown value 9") { _ = try Preset.IDEKind(.unrecognized(9)) }
        expectInvalid("tag") { _ = try Preset.Image.Tag(.unrecognized(-1)) }
        expectInvalid("trigger") { _ = try Checkpoint.Trigger(.unrecognized(4)) }
    }
}
