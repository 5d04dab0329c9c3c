import LocalBackend
import SessionConformance
import ProviderPlugin
import SessionGateway
import SessionSDK
import Testing

/// The suite against the Local backend served out of process: ``ProviderService`` on
/// an RPC server at a Unix socket, reached by a ``RemoteProvider`` over
/// `provider.proto`, our transport on both sides. The restart factory connects to a
/// second server, which serves a second Local instance on the same directories, as a
/// restarted plugin would.
@Suite("Conformance of the Local backend over the provider RPC interface")
struct RemoteConformanceTests {
    @Test("every case passes or is skipped for a stated reason, and nothing is left behind")
    func passes() async throws {
        try await LocalConformanceFixture.run { fixture in
            let sockets = ["\(fixture.directory)/provider.sock", "\(fixture.directory)/restarted.sock"]
            try await ProviderSocketServer.serving([fixture.provider, fixture.restartedProvider()], at: sockets) { addresses in
                let remote = try await RemoteProvider.connect(address: addresses[0])
                var configuration = try fixture.configuration(provider: remote)
                configuration.restart = ProviderRestart(releaseProvider: { provider in
                    await (provider as? RemoteProvider)?.close()
                }) {
                    try await RemoteProvider.connect(address: addresses[1])
                }
                let suite = ConformanceSuite(configuration: configuration)
                let report = await suite.run()
                let unexpected = try await suite.unexpectedFailures(in: report)
                await remote.close()
                print(report.text)
                #expect(report.provider == ProviderIdentity(name: "local", version: "1.0.0"))
                #expect(report.capabilities == fixture.provider.capabilities)
                #expect(unexpected.isEmpty, "\(report.failed.map { "\($0.id): \($0.outcome)" })")
                #expect(LocalConformanceTests.skips(of: report) == LocalConformanceTests.expectedSkips)
                #expect(report.leftovers == [])
            }
            #expect(try await fixture.provider.listSessions().isEmpty)
            #expect(fixture.strayBucketFiles() == [])
        }
    }
}
