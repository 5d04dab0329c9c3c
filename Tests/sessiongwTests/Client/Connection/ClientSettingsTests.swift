import Testing
@testable import sessiongw

@Suite struct ClientSettingsTests {
    @Test func flagsWinOverEnvironmentOverFile() {
        let settings = ClientSettings.merging(
            flags: .init(address: "flag:1"),
            environment: .init(environment: ["SESSIONGW_ADDRESS": "env:1", "SESSIONGW_TOKEN": "env-token"]),
            file: .init(address: "file:1", token: "file-token", workspace: "team", tokenOrigin: "token in f"))
        #expect(settings == ClientSettings(
            address: "flag:1", token: "env-token", tokenOrigin: "SESSIONGW_TOKEN", workspace: "team", caFile: nil))
    }

    @Test func defaultsWithNothingGiven() {
        let settings = ClientSettings.merging(flags: .init(), environment: .init(environment: [:]), file: nil)
        #expect(settings.address == "127.0.0.1:50051")
        #expect(settings.workspace == "default")
        #expect(settings.token == nil && settings.tokenOrigin == nil)
    }

    @Test func emptyEnvironmentValuesCountAsUnset() {
        let settings = ClientSettings.merging(
            flags: .init(), environment: .init(environment: ["SESSIONGW_TOKEN": ""]), file: .init(token: "t"))
        #expect(settings.token == "t")
    }

    @Test func configPathPrefersFlagThenVariableThenXDGThenHome() {
        #expect(ClientSettings.configPath(flag: "/f", environment: ["SESSIONGW_CONFIG": "/e"])! == ("/f", true))
        #expect(ClientSettings.configPath(flag: nil, environment: ["SESSIONGW_CONFIG": "/e", "HOME": "/h"])! == ("/e", true))
        #expect(ClientSettings.configPath(flag: nil, environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"])!
            == ("/x/sessiongw/client.yaml", false))
        #expect(ClientSettings.configPath(flag: nil, environment: ["HOME": "/h"])! == ("/h/.config/sessiongw/client.yaml", false))
        #expect(ClientSettings.configPath(flag: nil, environment: [:]) == nil)
    }

    @Test func configFileReadsTokenFileRelativeToItself() throws {
        var read: [String] = []
        let file = try ClientConfigFile.parse(
            "address: h:1\ntokenFile: data/admin-token\nworkspace: w\n", path: "/etc/sgw/client.yaml", home: "/h"
        ) { path in
            read.append(path)
            return "  secret-token\n"
        }
        #expect(read == ["/etc/sgw/data/admin-token"])
        #expect(file.layer == ClientSettings.Layer(
            address: "h:1", token: "secret-token", workspace: "w", tokenOrigin: "/etc/sgw/data/admin-token"))
    }

    @Test func configFileExpandsHome() {
        #expect(ClientConfigFile.resolve("~/t", relativeTo: "/c/f.yaml", home: "/home/u") == "/home/u/t")
        #expect(ClientConfigFile.resolve("/abs", relativeTo: "/c/f.yaml", home: nil) == "/abs")
    }

    @Test(arguments: [
        "token: a\ntokenFile: b\n",   // both
        "tokenFile: missing\n",       // unreadable
        "address: [unclosed\n",       // not YAML
        "address: {a: 1}\n",          // wrong type
    ])
    func configFileRefusals(text: String) {
        #expect(throws: ClientFailure.self) {
            try ClientConfigFile.parse(text, path: "/c/f.yaml", home: nil) { _ in nil }
        }
    }

    @Test func emptyConfigFileGivesNothing() throws {
        #expect(try ClientConfigFile.parse("", path: "/f", home: nil) { _ in nil }.layer == ClientSettings.Layer())
    }
}
