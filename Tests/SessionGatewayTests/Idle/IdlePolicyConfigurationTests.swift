import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

@Suite("Idle policy configuration: defaults, then a workspace's, then a preset's")
struct IdlePolicyConfigurationTests {
    static let presets = """
        presets:
          - id: lab
            images: [{name: base}]
            podSizes: [{name: small, cpu: 1, memory: 1GiB}]
            command: ["true"]
            idle: {cullAfter: never}
          - id: batch
            images: [{name: base}]
            podSizes: [{name: small, cpu: 1, memory: 1GiB}]
            command: ["true"]
            idle: {after: 10m, signals: [cpu, terminal]}
        """

    @Test("each level overrides only the fields it sets")
    func layering() throws {
        let configuration = try GatewayConfiguration.load(yaml: """
            workspaces: [team]
            idle:
              after: 2h
              cullAfter: 4h
              cpuThreshold: 0.5
              workspaces:
                - {workspace: team, cullAfter: 3h, gpuThreshold: 10}
            \(Self.presets)
            """, dataDirectory: "/tmp/unused")
        let team = WorkspaceID(rawValue: "team")
        #expect(configuration.idle.policy(preset: "other", workspace: .default)
            == IdlePolicy(after: 7200, cullAfter: 14400, cpuThreshold: 0.5, gpuThreshold: 5))
        #expect(configuration.idle.policy(preset: "other", workspace: team)
            == IdlePolicy(after: 7200, cullAfter: 10800, cpuThreshold: 0.5, gpuThreshold: 10))
        #expect(configuration.idle.policy(preset: "lab", workspace: team).cullAfter == nil, "never turns culling off")
        #expect(configuration.idle.policy(preset: "batch", workspace: team)
            == IdlePolicy(after: 600, cullAfter: 10800, cpuThreshold: 0.5, gpuThreshold: 10, signals: [.cpu, .terminal]))
    }

    @Test("without settings: idle after an hour at 0.1 CPUs or 5 % of a GPU, never culled")
    func defaults() throws {
        let configuration = try GatewayConfiguration.load(yaml: "listen: [\"127.0.0.1:0\"]", dataDirectory: "/tmp/unused")
        #expect(configuration.idle.policy(preset: "notebook", workspace: .default) == IdlePolicy(after: 3600, cpuThreshold: 0.1, gpuThreshold: 5))
    }

    @Test("bad settings are refused with the path of the setting", arguments: [
        ("idle: {after: soon}", "idle.after"),
        ("idle: {gpuThreshold: 101}", "idle.gpuThreshold"),
        ("idle: {cpuThreshold: -1}", "idle.cpuThreshold"),
        ("idle: {signals: [cpu, mouse]}", "idle.signals[1]"),
        ("idle: {signals: []}", "idle.signals"),
        ("idle: {workspaces: [{cullAfter: 2h}]}", "idle.workspaces[0].workspace"),
        ("idle: {after: 2h, cullAfter: 1h}", "idle"),
        ("idle: {cullAfter: 1h, workspaces: [{workspace: team, after: 2h}]}", "idle"),
    ])
    func refused(setting: String, path: String) {
        #expect {
            _ = try GatewayConfiguration.load(yaml: setting, dataDirectory: "/tmp/unused")
        } throws: { error in
            (error as? ConfigurationError)?.path == path
        }
    }

    @Test("a preset that culls sooner than it is idle is refused, naming the preset")
    func presetCullsTooSoon() {
        #expect {
            _ = try GatewayConfiguration.load(
                yaml: "idle: {after: 2h}\n" + Self.presets.replacingOccurrences(of: "cullAfter: never", with: "cullAfter: 1h"),
                dataDirectory: "/tmp/unused")
        } throws: { error in
            "\(error)".contains("preset 'lab'")
        }
    }
}
