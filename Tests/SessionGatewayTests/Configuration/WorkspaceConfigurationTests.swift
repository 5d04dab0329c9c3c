@testable import SessionGateway
import SessionSDK
import Testing

@Suite("Workspace configurations in the configuration file")
struct WorkspaceConfigurationTests {
    @Test("configurations are read per workspace, with plain and secret variables and an init script")
    func parsed() throws {
        let configuration = try GatewayConfiguration.load(yaml: """
            workspaces: [lab]
            configurations:
              - name: proxy
                workspace: lab
                description: The lab's proxy
                defaultOn: true
                env:
                  - {name: HTTPS_PROXY, value: "http://proxy:3128"}
                  - {name: PIP_TOKEN, secret: pip-token}
                initScript: |
                  git config --global http.proxy "$HTTPS_PROXY"
              - name: proxy
            """, dataDirectory: "/tmp/unused")
        let lab = WorkspaceID(rawValue: "lab")
        #expect(configuration.configurations(in: lab) == [
            WorkspaceConfiguration(
                workspace: lab, name: "proxy", description: "The lab's proxy", defaultOn: true,
                environment: [.init(name: "HTTPS_PROXY", value: .plain("http://proxy:3128")), .init(name: "PIP_TOKEN", value: .secret("pip-token"))],
                initScript: "git config --global http.proxy \"$HTTPS_PROXY\"\n"),
        ])
        #expect(configuration.configurations(in: .default).map(\.name) == ["proxy"])
        var spec = SessionSpec(preset: "notebook", image: "python3", computeEnvironment: "local")
        #expect(try configuration.configurations(for: spec, in: lab).map(\.name) == ["proxy"])
        spec.excludedConfigurations = ["proxy"]
        #expect(try configuration.configurations(for: spec, in: lab).isEmpty)
        #expect(try configuration.configurations(for: spec, in: .default).isEmpty, "off by default")
    }

    @Test("bad configurations are refused with the path of the setting", arguments: [
        ("configurations: [{name: 'a b'}]", "configurations[0].name"),
        ("configurations: [{name: a, env: [{name: X}]}]", "configurations[0].env[0]"),
        ("configurations: [{name: a, env: [{name: X, value: v, secret: s}]}]", "configurations[0].env[0]"),
        ("configurations: [{name: a, env: [{name: 1X, value: v}]}]", "configurations[0].env"),
        ("configurations: [{name: a}, {name: a}]", "configurations[1].name"),
    ])
    func refused(setting: String, path: String) {
        #expect {
            _ = try GatewayConfiguration.load(yaml: setting, dataDirectory: "/tmp/unused")
        } throws: { error in
            (error as? ConfigurationError)?.path == path
        }
    }
}
