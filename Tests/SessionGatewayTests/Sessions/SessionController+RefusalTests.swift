import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

/// Requests the gateway refuses before it records anything: each refusal has its exact
/// code, and neither the store nor the backend changes.
@Suite("Session controller: refusals")
struct SessionControllerRefusalTests {
    /// A change to an otherwise valid spec, and how the gateway must refuse it.
    struct SpecRefusal: Sendable, CustomTestStringConvertible {
        let label: String
        let code: SessionError.Code
        let mentioning: [String]
        let change: @Sendable (inout SessionSpec) -> Void

        init(_ label: String, _ code: SessionError.Code, mentioning: [String] = [], _ change: @escaping @Sendable (inout SessionSpec) -> Void) {
            self.label = label
            self.code = code
            self.mentioning = mentioning
            self.change = change
        }

        var testDescription: String { "\(label) → \(code)" }
    }

    static let invalidNames = [
        "", String(repeating: "a", count: 64), "bell\u{7}name", "tab\tname", "new\nline", "nul\u{0}byte", "del\u{7F}x",
        "-leading-dash", ".hidden", "_underscore", "a/b", "../escape", "with space", "ünicode",
    ]

    @Test("an invalid session name is INVALID_ARGUMENT naming the field, and nothing is created", arguments: invalidNames)
    func invalidName(_ name: String) async throws {
        _ = try await GatewayHarness.run { gateway in
            try await gateway.expectRefusal(.invalidArgument, mentioning: ["name"]) { _ = try await gateway.create(name) }
        }
    }

    @Test("the longest and the most varied valid names are accepted")
    func validNames() async throws {
        try await GatewayHarness.run { gateway in
            for name in [String(repeating: "a", count: 63), "A1.b_c-d", "7"] {
                let session = try await gateway.create(name)
                #expect(session.name == name)
                #expect(gateway.backendDirectoryExists(session.id))
                try await gateway.controller.deleteSession(workspace: .default, id: session.id, force: true)
            }
        }
    }

    static let specRefusals: [SpecRefusal] = [
        SpecRefusal("missing preset", .notFound, mentioning: ["preset", "nope"]) { $0.preset = "nope" },
        SpecRefusal("missing image", .notFound, mentioning: ["image", "nope"]) { $0.image = "nope" },
        SpecRefusal("unknown pod size", .invalidArgument, mentioning: ["pod_size", "huge"]) { $0.podSize = "huge" },
        SpecRefusal("unknown compute environment", .notFound, mentioning: ["compute environment", "mars"]) {
            $0.computeEnvironment = "mars"
        },
        SpecRefusal("unknown compute pool", .invalidArgument, mentioning: ["compute_pool"]) { $0.computePool = "gpu-pool" },
        SpecRefusal("GPUs on a backend without them", .invalidArgument, mentioning: ["GPU"]) {
            $0.resources = Resources(cpuMillis: 1000, memoryBytes: 1 << 30, gpus: 1)
        },
        SpecRefusal("no CPU", .invalidArgument, mentioning: ["resources"]) {
            $0.resources = Resources(cpuMillis: 0, memoryBytes: 1 << 30)
        },
        SpecRefusal("env value over 32 KiB", .invalidArgument, mentioning: ["BIG", "32768"]) {
            $0.environment = [.init(name: "BIG", value: .plain(String(repeating: "x", count: 32 * 1024 + 1)))]
        },
        SpecRefusal("env over 256 KiB in all", .invalidArgument, mentioning: ["env", "262144"]) {
            $0.environment = (0..<8).map { .init(name: "E\($0)", value: .plain(String(repeating: "x", count: 32 * 1024))) }
        },
        SpecRefusal("env value with a NUL byte", .invalidArgument, mentioning: ["NUL"]) {
            $0.environment = [.init(name: "NUL", value: .plain("a\u{0}b"))]
        },
        SpecRefusal("257 env vars", .invalidArgument, mentioning: ["257"]) {
            $0.environment = (0..<257).map { .init(name: "V\($0)", value: .plain("x")) }
        },
        SpecRefusal("env name starting with a digit", .invalidArgument, mentioning: ["env name"]) {
            $0.environment = [.init(name: "1ST", value: .plain("x"))]
        },
        SpecRefusal("env name with '='", .invalidArgument, mentioning: ["env name"]) {
            $0.environment = [.init(name: "A=B", value: .plain("x"))]
        },
        SpecRefusal("env var given twice", .invalidArgument, mentioning: ["TWICE"]) {
            $0.environment = [.init(name: "TWICE", value: .plain("1")), .init(name: "TWICE", value: .plain("2"))]
        },
        SpecRefusal("label value over 63 bytes", .invalidArgument, mentioning: ["team"]) {
            $0.labels = ["team": String(repeating: "v", count: 64)]
        },
        SpecRefusal("label value with a control character", .invalidArgument, mentioning: ["team"]) {
            $0.labels = ["team": "a\nb"]
        },
        SpecRefusal("label key with a space", .invalidArgument, mentioning: ["label key"]) { $0.labels = ["my key": "v"] },
        SpecRefusal("257 labels", .invalidArgument, mentioning: ["257"]) {
            $0.labels = Dictionary(uniqueKeysWithValues: (0..<257).map { ("k\($0)", "v") })
        },
        SpecRefusal("home volume of 0 bytes", .invalidArgument, mentioning: ["home_volume"]) { $0.homeVolume = .new(sizeBytes: 0) },
        SpecRefusal("home volume over the disk limit", .resourceExhausted, mentioning: ["home_volume", "disk limit"]) {
            $0.homeVolume = .new(sizeBytes: (30 << 30) + 1)
        },
        SpecRefusal("existing home volume on a backend without them", .invalidArgument, mentioning: ["existing home volumes"]) {
            $0.homeVolume = .existing("team-volume")
        },
        SpecRefusal("data volume on a backend without them", .invalidArgument, mentioning: ["data volumes"]) {
            $0.dataVolumes = [.init(source: "vol", mountPath: "/mnt/vol", readOnly: true)]
        },
        SpecRefusal("duration limit of 0", .invalidArgument, mentioning: ["duration_limit"]) { $0.durationLimit = .zero },
        SpecRefusal("duration limit over 30 days", .invalidArgument, mentioning: ["duration_limit"]) {
            $0.durationLimit = .seconds(31 * 24 * 3600)
        },
        SpecRefusal("unknown data-link", .notFound, mentioning: ["d-missing"]) { $0.dataLinks = ["d-missing"] },
        SpecRefusal("missing secret", .notFound, mentioning: ["secret", "no-such-secret"]) {
            $0.environment = [.init(name: "TOKEN", value: .secret("no-such-secret"))]
        },
        SpecRefusal("secret name with a path", .invalidArgument, mentioning: ["secret name"]) {
            $0.environment = [.init(name: "TOKEN", value: .secret("../default/api-token"))]
        },
    ]

    @Test("an invalid or unsatisfiable spec is refused with its exact code, and nothing is created", arguments: specRefusals)
    func invalidSpec(_ refusal: SpecRefusal) async throws {
        try await GatewayHarness.run { gateway in
            var spec = gateway.spec()
            refusal.change(&spec)
            try await gateway.expectRefusal(refusal.code, mentioning: refusal.mentioning) {
                _ = try await gateway.create("refused", spec: spec)
            }
        }
    }

    @Test("values at every size limit are accepted and reach the session")
    func limitsAreInclusive() async throws {
        try await GatewayHarness.run { gateway in
            // Seven values of 32 KiB (about 224 KiB in all) and 249 more variables: 256.
            let big = String(repeating: "x", count: 32 * 1024)
            var environment: [SessionSpec.EnvironmentVariable] = (0..<7).map { .init(name: "BIG\($0)", value: .plain(big)) }
            environment += (7..<256).map { .init(name: "V\($0)", value: .plain("\($0)")) }
            var labels = Dictionary(uniqueKeysWithValues: (1..<256).map { ("k\($0)", "v") })
            labels["team"] = String(repeating: "v", count: 63)
            let spec = gateway.spec(preset: "env-echo", environment: environment, labels: labels)
            let session = try await gateway.createRunning("at-the-limits", spec: spec)
            #expect(session.spec.environment.count == 256)
            #expect(session.spec.labels.count == 256)
            let command = try #require(HostProcesses.withEnvironment("SESSION_ID=\(session.id)").first)
            let environ = try #require(HostProcesses.environment(of: command))
            #expect(environ.range(of: Data("BIG6=\(big)\u{0}".utf8)) != nil)
        }
    }

    @Test("sessions of an environment together may not exceed its disk limit: RESOURCE_EXHAUSTED, and nothing is created")
    func diskQuota() async throws {
        try await GatewayHarness.run { gateway in
            _ = try await gateway.create("big", spec: gateway.spec(homeBytes: 20 << 30))
            try await gateway.expectRefusal(.resourceExhausted, mentioning: ["local", "does not fit"]) {
                _ = try await gateway.create("too-much", spec: gateway.spec(homeBytes: (10 << 30) + 1))
            }
            // Exactly up to the limit fits.
            let fits = try await gateway.create("fits", spec: gateway.spec(homeBytes: 10 << 30))
            #expect(fits.spec.homeVolume == .new(sizeBytes: 10 << 30))
        }
    }

    @Test("a larger home volume past the disk limit is RESOURCE_EXHAUSTED on update too; up to the limit it is accepted")
    func diskQuotaOnUpdate() async throws {
        try await GatewayHarness.run { gateway in
            _ = try await gateway.create("big", spec: gateway.spec(homeBytes: 20 << 30))
            let small = try await gateway.createRunning("small", spec: gateway.spec(homeBytes: 1 << 30))
            _ = try await gateway.controller.pauseSession(workspace: .default, id: small.id)
            try await gateway.converge(small.id, to: [.paused])
            var grown = small.spec
            grown.homeVolume = .new(sizeBytes: (10 << 30) + 1)
            try await gateway.expectRefusal(.resourceExhausted, mentioning: ["local", "does not fit"]) {
                _ = try await gateway.controller.updateSession(workspace: .default, id: small.id, spec: grown)
            }
            #expect(try await gateway.store.session(id: small.id, workspace: .default).spec.homeVolume == .new(sizeBytes: 1 << 30))
            grown.homeVolume = .new(sizeBytes: 10 << 30)
            let updated = try await gateway.controller.updateSession(workspace: .default, id: small.id, spec: grown)
            #expect(updated.spec.homeVolume == .new(sizeBytes: 10 << 30))
        }
    }

    @Test("eight concurrent creates of which the disk limit fits three create exactly three sessions")
    func diskQuotaUnderConcurrency() async throws {
        try await GatewayHarness.run { gateway in
            let outcomes = await withTaskGroup(of: SessionError.Code?.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await gateway.create("racer-\(index)", spec: gateway.spec(homeBytes: 10 << 30))
                            return nil
                        } catch let error as SessionError {
                            return error.code
                        } catch {
                            return .internalError
                        }
                    }
                }
                return await group.reduce(into: [SessionError.Code?]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 3)
            #expect(outcomes.filter { $0 == .resourceExhausted }.count == 5)
            let stored = try await gateway.store.homeVolumeBytes(workspace: .default, computeEnvironment: "local", excluding: "")
            #expect(stored == 30 << 30)
        }
    }

    @Test("operations on an unknown session are NOT_FOUND; a session of another workspace is NOT_FOUND with the same message")
    func unknownSessions() async throws {
        try await GatewayHarness.run { gateway in
            let hidden = try await gateway.create("hidden", workspace: GatewayHarness.otherWorkspace)
            let unknown = SessionID(rawValue: "s-doesnotexist0000")
            var messages: [SessionID: [String]] = [:]
            for id in [unknown, hidden.id] {
                let controller = gateway.controller
                let store = gateway.store
                let operations: [(String, () async throws -> Void)] = [
                    ("get", { _ = try await store.session(id: id, workspace: .default) }),
                    ("pause", { _ = try await controller.pauseSession(workspace: .default, id: id) }),
                    ("resume", { _ = try await controller.resumeSession(workspace: .default, id: id) }),
                    ("connect", { _ = try await controller.connection(workspace: .default, id: id) }),
                    ("update", { _ = try await controller.updateSession(workspace: .default, id: id, spec: gateway.spec()) }),
                    ("events", { _ = try await store.events(session: id, workspace: .default) }),
                    ("checkpoints", { _ = try await store.checkpoints(session: id, workspace: .default) }),
                ]
                for (operation, body) in operations {
                    let error = try await gateway.expectRefusal(.notFound) { try await body() }
                    messages[id, default: []].append("\(operation): " + (error?.message ?? "").replacingOccurrences(of: id.rawValue, with: "ID"))
                }
            }
            #expect(messages[unknown] == messages[hidden.id])

            // Deleting from the wrong workspace succeeds as for an unknown id, and deletes nothing.
            try await gateway.controller.deleteSession(workspace: .default, id: hidden.id, force: true)
            try await gateway.controller.deleteSession(workspace: .default, id: unknown, force: false)
            let still = try await gateway.store.session(id: hidden.id, workspace: GatewayHarness.otherWorkspace)
            #expect(still.state == hidden.state)
            #expect(gateway.backendDirectoryExists(hidden.id))
            #expect(!gateway.liveProcesses(of: hidden.id).isEmpty)
        }
    }
}
