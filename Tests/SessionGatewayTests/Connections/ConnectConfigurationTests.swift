@testable import SessionGateway
import Testing

/// The `connect:` section: the proxy is on by default, can be set or turned off, and
/// bad values are refused naming the setting.
@Suite("Connections: configuration")
struct ConnectConfigurationTests {
    @Test("the embedded default runs the proxy on 127.0.0.1:8081, falling back to a free port")
    func defaults() throws {
        let connect = try #require(GatewayConfiguration.embeddedDefault(dataDirectory: "/tmp/x").connect)
        #expect(connect.listen == "127.0.0.1:8081")
        #expect(connect.listenIsDefault)
        #expect(connect.linkLifetime == .seconds(600))
        #expect(connect.publicURL == nil)
    }

    @Test("listen, publicURL and lifetimes are read; enabled: false turns it off")
    func settings() throws {
        let loaded = try GatewayConfiguration.load(yaml: """
            connect: {listen: "0.0.0.0:9000", publicURL: "https://sessions.example.com/", linkLifetime: 2m, cookieLifetime: 1h}
            """, dataDirectory: "/tmp/x")
        let connect = try #require(loaded.connect)
        #expect(connect.listen == "0.0.0.0:9000")
        #expect(!connect.listenIsDefault)
        #expect(connect.publicURL == "https://sessions.example.com")
        #expect(connect.linkLifetime == .seconds(120))
        #expect(connect.cookieLifetime == .seconds(3600))
        #expect(try GatewayConfiguration.load(yaml: "connect: {enabled: false}", dataDirectory: "/tmp/x").connect == nil)
    }

    @Test("a bad address, URL or duration names its setting")
    func refusals() {
        for (yaml, path) in [
            ("connect: {listen: nowhere}", "connect.listen"),
            ("connect: {publicURL: ftp://x}", "connect.publicURL"),
            ("connect: {linkLifetime: soon}", "connect.linkLifetime"),
        ] {
            #expect(throws: ConfigurationError.self) { try GatewayConfiguration.load(yaml: yaml, dataDirectory: "/tmp/x") }
            do {
                _ = try GatewayConfiguration.load(yaml: yaml, dataDirectory: "/tmp/x")
            } catch let error as ConfigurationError {
                #expect(error.path == path)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
