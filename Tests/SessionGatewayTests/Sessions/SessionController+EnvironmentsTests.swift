import LocalBackend
@testable import SessionGateway
import SessionSDK
import Synchronization
import Testing

/// Custom environments at the gateway: packages reach the provider checked and in
/// canonical order; a backend that does not build environments refuses them; a build's
/// log is copied into the activity log line by line, once each, also across a restart.
/// (Real builds from PyPI on the Local backend: Tests/gateway/test_environment_builds.py.)
@Suite("Session controller: custom environments")
struct SessionControllerEnvironmentsTests {
    @Test("a backend without ENVIRONMENT_BUILDS refuses packages; a bad requirement is refused; nothing is kept")
    func refusals() async throws {
        var options = GatewayHarness.Options()
        options.wrapProvider = { RecordingProvider(base: $0, withoutCapabilities: [.environmentBuilds]) }
        try await GatewayHarness.run(options) { gateway in
            var spec = gateway.spec()
            spec.packages = ["numpy==2.1.0"]
            try await gateway.expectRefusal(.invalidArgument, mentioning: ["does not support custom environments (packages)"]) {
                _ = try await gateway.controller.createSession(workspace: .default, name: "x", owner: "ada", spec: spec)
            }
            #expect(try await gateway.store.sessionSummaries().isEmpty)
        }
        try await GatewayHarness.run { gateway in
            var spec = gateway.spec()
            spec.packages = ["--index-url=http://127.0.0.1:1/simple"]
            try await gateway.expectRefusal(.invalidArgument, mentioning: ["packages[0]", "'--index-url=http://127.0.0.1:1/simple'"]) {
                _ = try await gateway.controller.createSession(workspace: .default, name: "x", owner: "ada", spec: spec)
            }
        }
    }

    @Test("the build log reaches the activity log in order, once each, while BUILDING and at its end, and after a restart")
    func buildLogs() async throws {
        let build = ScriptedBuild()
        var options = GatewayHarness.Options()
        options.wrapProvider = { ScriptedBuildProvider(base: $0, build: build) }
        try await GatewayHarness.run(options) { gateway in
            var spec = gateway.spec()
            spec.packages = ["b==1", "A>=2"]
            let created = try await gateway.controller.createSession(workspace: .default, name: "env", owner: "ada", spec: spec)
            #expect(build.requestedPackages == ["A>=2", "b==1"], "checked and in canonical order")
            #expect(created.state == .building)

            build.append(["Collecting A>=2", "Collecting b==1"])
            await gateway.reconciler.fullPass()
            #expect(try await buildLines(of: created.id, in: gateway) == ["Collecting A>=2", "Collecting b==1"])
            await gateway.reconciler.fullPass()
            #expect(try await buildLines(of: created.id, in: gateway).count == 2, "nothing twice")

            // A restarted gateway continues after the lines it already recorded.
            let restarted = try gateway.restarted()
            build.append(["Installing collected packages: A, b", "Successfully installed A-2 b-1"])
            build.finish()
            let running = try await restarted.converge(created.id, to: [.running])
            #expect(running.state == .running)
            #expect(try await buildLines(of: created.id, in: restarted) == [
                "Collecting A>=2", "Collecting b==1", "Installing collected packages: A, b", "Successfully installed A-2 b-1",
            ])
            let states = try await restarted.store.events(session: created.id, workspace: .default).items.compactMap(\.toState)
            #expect(states.contains(.building) && states.last == .running)
        }
    }

    private func buildLines(of id: SessionID, in gateway: GatewayHarness) async throws -> [String] {
        try await gateway.store.events(session: id, workspace: .default, pageSize: 1000).items
            .filter { $0.kind == .buildLog }.map(\.message)
    }
}

/// A build the test drives: lines appear when appended; BUILDING until finished.
private final class ScriptedBuild: Sendable {
    private struct State {
        var lines: [String] = []
        var finished = false
        var packages: [String] = []
    }
    private let state = Mutex(State())

    var requestedPackages: [String] { state.withLock { $0.packages } }
    var finished: Bool { state.withLock { $0.finished } }
    func requested(_ packages: [String]) { state.withLock { $0.packages = packages } }
    func append(_ lines: [String]) { state.withLock { $0.lines += lines } }
    func finish() { state.withLock { $0.finished = true } }
    func lines(from line: Int) -> [String] { state.withLock { Array($0.lines.dropFirst(line)) } }
}

/// The Local provider with a scripted build in front of every session with packages:
/// it reports BUILDING until the build is finished, and serves the build's log.
private struct ScriptedBuildProvider: DelegatingSessionProvider {
    let base: any SessionProvider
    let build: ScriptedBuild

    var capabilities: Set<ProviderCapability> { base.capabilities.union([.environmentBuilds]) }

    func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        build.requested(request.packages)
        var plain = request
        plain.packages = []
        return building(try await base.createSession(plain))
    }

    func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        building(try await base.describeSession(handle))
    }

    func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String] { build.lines(from: line) }

    private func building(_ status: ProviderSessionStatus) -> ProviderSessionStatus {
        guard !build.finished else { return status }
        var building = status
        building.state = .building
        building.connection = nil
        return building
    }

    func listSessions() async throws -> [ProviderSessionStatus] { try await base.listSessions().map(building) }
}
