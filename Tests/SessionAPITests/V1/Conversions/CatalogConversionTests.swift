import SessionAPI
import SessionSDK
import Testing

/// `Preset` and `ComputeEnvironment` ↔ their messages.
struct CatalogConversionTests {
    static let preset = Preset(
        id: "jupyter", displayName: "JupyterLab", ideKind: .jupyterLab,
        images: [
            .init(name: "pytorch", reference: "ghcr.io/example/pytorch:2.3", tag: .recommended),
            .init(name: "tf", reference: "ghcr.io/example/tf:1", tag: .deprecated),
        ],
        podSizes: [
            .init(name: "small", resources: Resources(cpuMillis: 500, memoryBytes: 1 << 30)),
            .init(name: "large", resources: ModelFixtures.resources),
        ],
        defaultPodSize: "small", command: ["jupyter", "lab", "--port=${SESSION_PORT}"], defaultHomeVolumeBytes: 5 << 30)

    static let environment = ComputeEnvironment(
        id: "local", workspace: .default, backend: "local", pools: ["cpu", "gpu"], defaultPool: "cpu",
        writableBuckets: ["scratch", "/shared/rw"], diskLimitBytes: 30 << 30)

    @Test func presetBothWays() throws {
        #expect(V1Preset(Self.preset) == V1Fixtures.preset)
        #expect(try Preset(V1Fixtures.preset) == Self.preset)
    }

    @Test func computeEnvironmentBothWays() throws {
        #expect(V1ComputeEnvironment(Self.environment) == V1Fixtures.computeEnvironment)
        #expect(try ComputeEnvironment(V1Fixtures.computeEnvironment) == Self.environment)
    }

    @Test func zeroSizesMeanTheDefaults() throws {
        var preset = V1Fixtures.preset
        preset.defaultHomeVolumeBytes = 0
        #expect(try Preset(preset).defaultHomeVolumeBytes == 5 << 30)
        var environment = V1Fixtures.computeEnvironment
        environment.diskLimitBytes = 0
        environment.defaultPool = ""
        let converted = try ComputeEnvironment(environment)
        #expect(converted.diskLimitBytes == 30 << 30)
        #expect(converted.defaultPool == nil)
    }

    /// A change that makes the fixture preset invalid, and the field the error must name.
    struct InvalidPreset: Sendable, CustomTestStringConvertible {
        let field: String
        let change: @Sendable (inout V1Preset) -> Void
        var testDescription: String { field }
    }

    static let invalidPresets: [InvalidPreset] = [
        InvalidPreset(field: "preset.id") { $0.id = "" },
        InvalidPreset(field: "preset.ide_kind") { $0.ideKind = .unspecified },
        InvalidPreset(field: "preset.images[1].name") { $0.images[1].name = "pytorch" },
        InvalidPreset(field: "preset.images[0].reference") { $0.images[0].reference = "" },
        InvalidPreset(field: "preset.images[1].tag") { $0.images[1].tag = .unrecognized(8) },
        InvalidPreset(field: "preset.pod_sizes[0].resources") { $0.podSizes[0].resources = nil },
        InvalidPreset(field: "preset.pod_sizes[1].resources.cpu_millis") { $0.podSizes[1].resources?.cpuMillis = -1 },
        InvalidPreset(field: "preset.pod_sizes[1].name") { $0.podSizes[1].name = "small" },
        InvalidPreset(field: "preset.default_pod_size") { $0.defaultPodSize = "huge" },
        InvalidPreset(field: "preset.command[2]") { $0.command[2] = "--port\0" },
        InvalidPreset(field: "preset.default_home_volume_bytes") { $0.defaultHomeVolumeBytes = -1 },
    ]

    @Test(arguments: invalidPresets)
    func invalidPresetIsRefusedNamingTheField(_ invalid: InvalidPreset) {
        var message = V1Fixtures.preset
        invalid.change(&message)
        expectInvalid(invalid.field) { _ = try Preset(message) }
    }

    @Test func invalidComputeEnvironmentIsRefusedNamingTheField() {
        var message = V1Fixtures.computeEnvironment
        message.backend = ""
        expectInvalid("compute_environment.backend") { _ = try ComputeEnvironment(message) }
        message = V1Fixtures.computeEnvironment
        message.diskLimitBytes = -1
        expectInvalid("compute_environment.disk_limit_bytes") { _ = try ComputeEnvironment(message) }
        message = V1Fixtures.computeEnvironment
        message.writableBuckets[1] = "a\0b"
        expectInvalid("compute_environment.writable_buckets[1]") { _ = try ComputeEnvironment(message) }
        message = V1Fixtures.computeEnvironment
        message.id = ""
        expectInvalid("compute_environment.id") { _ = try ComputeEnvironment(message) }
    }
}
