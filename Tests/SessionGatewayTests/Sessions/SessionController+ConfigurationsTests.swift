@testable import SessionGateway
import SessionSDK
import Testing

/// Workspace configurations on real Local sessions: those on by default and those turned
/// on reach the session's environment, in order, and their init scripts run before the
/// IDE; one left out does not; an unknown name is refused and a failing script fails the
/// start.
@Suite("Session controller: workspace configurations")
struct SessionControllerConfigurationsTests {
    static let team = GatewayHarness.otherWorkspace

    @Test("on by default, turned on, left out: the environment and init scripts follow")
    func toggles() async throws {
        try await GatewayHarness.run { gateway in
            let byDefault = try await gateway.createRunning("defaults", spec: gateway.spec(preset: "env-echo"), workspace: Self.team)
            #expect(try await gateway.shell("cat .api-token", in: byDefault).output == "from-default")
            #expect(try await gateway.shell("test -e .init-ran", in: byDefault).exitCode != 0)

            var special = gateway.spec(preset: "env-echo")
            special.configurations = ["special-token"]
            let turnedOn = try await gateway.createRunning("special", spec: special, workspace: Self.team)
            #expect(try await gateway.shell("cat .api-token", in: turnedOn).output == "from-special", "the later configuration wins")
            #expect(try await gateway.shell("cat .init-ran", in: turnedOn).output == "init ran with from-special\n")

            var without = gateway.spec(preset: "env-echo")
            without.excludedConfigurations = ["team-defaults"]
            let leftOut = try await gateway.createRunning("without", spec: without, workspace: Self.team)
            #expect(try await gateway.shell("cat .api-token", in: leftOut).output == "")

            let elsewhere = try await gateway.createRunning("elsewhere", spec: gateway.spec(preset: "env-echo"))
            #expect(try await gateway.shell("cat .api-token", in: elsewhere).output == "", "another workspace's configurations do not apply")
        }
    }

    @Test("an unknown configuration is refused and nothing is kept; a failing init script fails the start, saying so")
    func refusalsAndFailures() async throws {
        try await GatewayHarness.run { gateway in
            for field in [\SessionSpec.configurations, \SessionSpec.excludedConfigurations] {
                var spec = gateway.spec()
                spec[keyPath: field] = ["no-such"]
                try await gateway.expectRefusal(.notFound, mentioning: ["configuration 'no-such'", "ListConfigurations"]) {
                    _ = try await gateway.controller.createSession(workspace: Self.team, name: "x", owner: "ada", spec: spec)
                }
            }
            var spec = gateway.spec()
            spec.configurations = ["failing-init"]
            let created = try await gateway.create("broken", spec: spec, workspace: Self.team)
            let failed = try await gateway.converge(created.id, workspace: Self.team, to: [.failed])
            #expect(failed.stateReason.contains("7") || failed.stateReason.contains("broken"), "\(failed.stateReason)")
        }
    }

    @Test("the command after init scripts keeps its arguments as they are")
    func commandWrapping() {
        #expect(SessionSpecResolver.command(["python3", "-c", "print('a b')"], initScripts: ["", "  "]) == ["python3", "-c", "print('a b')"])
        #expect(SessionSpecResolver.command(["python3", "-c", "print('a b')"], initScripts: ["one", "two"])
            == ["sh", "-c", "set -e\none\ntwo\nset +e\nexec \"$@\"\n", "sessiongw-init", "python3", "-c", "print('a b')"])
    }
}
