import RPCTransport
import SessionAPI
import SessionSDK
import Testing

/// `SessionSpec` ↔ `V1SessionSpec`, and the checks on the way in.
struct SessionSpecConversionTests {
    @Test func messageBecomesTheModel() throws {
        #expect(try SessionSpec(V1Fixtures.spec) == ModelFixtures.spec)
    }

    @Test func modelBecomesTheMessage() {
        #expect(V1SessionSpec(ModelFixtures.spec) == V1Fixtures.spec)
    }

    @Test func secretsStayReferences() throws {
        let message = V1SessionSpec(ModelFixtures.spec)
        #expect(message.env.contains(V1EnvVar(name: "API_TOKEN", source: .secretRef("team-token"))))
        let decoded = try V1SessionSpec(protobufBytes: message.protobufBytes())
        #expect(try SessionSpec(decoded).environment.last?.value == .secret("team-token"))
    }

    @Test func unsetFieldsTakeTheirDefaults() throws {
        let message = V1SessionSpec(preset: "p", image: "i", computeEnvironment: "e")
        let spec = try SessionSpec(message, defaultHomeVolumeBytes: 2 << 30)
        #expect(spec.homeVolume == .new(sizeBytes: 2 << 30))
        #expect(spec.resources == nil)
        #expect(spec.durationLimit == nil)
        #expect(spec.podSize.isEmpty && spec.computePool.isEmpty)
        #expect(try SessionSpec(message).homeVolume == .new(sizeBytes: 5 << 30))
    }

    @Test func existingHomeVolumeAndEmptyPlainValue() throws {
        var message = V1Fixtures.spec
        message.homeVolume = V1Fixtures.existingHome
        message.env = [V1EnvVar(name: "_EMPTY", source: .value(""))]
        let spec = try SessionSpec(message)
        #expect(spec.homeVolume == .existing("home-alice"))
        #expect(spec.environment == [.init(name: "_EMPTY", value: .plain(""))])
    }

    @Test func durationLimitKeepsItsPrecision() throws {
        var spec = ModelFixtures.spec
        spec.durationLimit = .milliseconds(1500)
        #expect(V1SessionSpec(spec).durationLimit == ProtobufDuration(seconds: 1, nanos: 500_000_000))
        spec.durationLimit = .zero
        #expect(try SessionSpec(V1SessionSpec(spec)).durationLimit == .zero, "a zero limit must not become 'no limit'")
        spec.durationLimit = nil
        #expect(V1SessionSpec(spec).durationLimit == nil)
    }

    /// A change that makes the fixture spec invalid, and the field the error must name.
    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let field: String
        let change: @Sendable (inout V1SessionSpec) -> Void
        var testDescription: String { field }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(field: "spec.preset") { $0.preset = "" },
        InvalidCase(field: "spec.image") { $0.image = "" },
        InvalidCase(field: "spec.compute_environment") { $0.computeEnvironment = "" },
        InvalidCase(field: "spec.image") { $0.image = "py\0torch" },
        InvalidCase(field: "spec.pod_size") { $0.podSize = "large\0" },
        InvalidCase(field: "spec.compute_pool") { $0.computePool = "\0" },
        InvalidCase(field: "spec.resources.cpu_millis") { $0.resources?.cpuMillis = 0 },
        InvalidCase(field: "spec.resources.memory_bytes") { $0.resources?.memoryBytes = -1 },
        InvalidCase(field: "spec.resources.gpus") { $0.resources?.gpus = -2 },
        InvalidCase(field: "spec.env[1].name") { $0.env[1].name = "" },
        InvalidCase(field: "spec.env[1].name") { $0.env[1].name = "1ABC" },
        InvalidCase(field: "spec.env[1].name") { $0.env[1].name = "A-B" },
        InvalidCase(field: "spec.env[1].name") { $0.env[1].name = "LOG_LEVEL" },
        InvalidCase(field: "spec.env[1]") { $0.env[1].source = nil },
        InvalidCase(field: "spec.env[1].secret_ref") { $0.env[1].source = .secretRef("") },
        InvalidCase(field: "spec.env[0].value") { $0.env[0].source = .value("a\0b") },
        InvalidCase(field: "spec.home_volume") { $0.homeVolume = V1HomeVolume() },
        InvalidCase(field: "spec.home_volume.new_size_bytes") { $0.homeVolume = V1HomeVolume(source: .newSizeBytes(0)) },
        InvalidCase(field: "spec.home_volume.existing_claim") { $0.homeVolume = V1HomeVolume(source: .existingClaim("")) },
        InvalidCase(field: "spec.data_volumes[0].source") { $0.dataVolumes[0].source = "" },
        InvalidCase(field: "spec.data_volumes[0].mount_path") { $0.dataVolumes[0].mountPath = "relative/path" },
        InvalidCase(field: "spec.data_volumes[0].mount_path") { $0.dataVolumes[0].mountPath = "/mnt/../etc" },
        InvalidCase(field: "spec.data_volumes[0].mount_path") { $0.dataVolumes[0].mountPath = "/mnt//x" },
        InvalidCase(field: "spec.data_volumes[0].mount_path") { $0.dataVolumes[0].mountPath = "/mnt/\u{1B}x" },
        InvalidCase(field: "spec.data_volumes[0].mount_path") { $0.dataVolumes[0].mountPath = "/" },
        InvalidCase(field: "spec.data_volumes[1].mount_path") { $0.dataVolumes.append($0.dataVolumes[0]) },
        InvalidCase(field: "spec.data_link_ids[1]") { $0.dataLinkIDs[1] = "" },
        InvalidCase(field: "spec.data_link_ids[1]") { $0.dataLinkIDs[1] = "dl-1" },
        InvalidCase(field: "spec.labels") { $0.labels[""] = "x" },
        InvalidCase(field: "spec.labels['team']") { $0.labels["team"] = "m\0l" },
        InvalidCase(field: "spec.duration_limit") { $0.durationLimit = ProtobufDuration(seconds: -1) },
    ]

    @Test(arguments: invalidCases)
    func invalidSpecIsRefusedNamingTheField(_ invalid: InvalidCase) {
        var message = V1Fixtures.spec
        invalid.change(&message)
        expectInvalid(invalid.field) { _ = try SessionSpec(message) }
    }

    @Test func fieldPrefixFollowsTheCaller() {
        var message = V1Fixtures.spec
        message.image = ""
        expectInvalid("session.spec.image") { _ = try SessionSpec(message, field: "session.spec") }
    }
}
