import ArgumentParser
import RPCInterop
import RPCTransport

/// Runs gRPC interoperability test cases with our client against any server.
@main
struct InteropClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc-interop-client",
        abstract: "Run gRPC interop test cases against a grpc.testing.TestService server.")

    @Option(help: "Server host.")
    var serverHost: String = "127.0.0.1"

    @Option(help: "Server port.")
    var serverPort: Int = 10000

    @Option(help: "Connect over this Unix domain socket instead of TCP.")
    var uds: String?

    @Option(help: "A case name, or 'all'. Cases: \(InteropTestCase.allCases.map(\.rawValue).joined(separator: ", ")).")
    var testCase: String = "all"

    @Flag(help: "Connect with TLS.")
    var useTLS = false

    @Option(help: "PEM trust roots for --use-tls.")
    var caFile: String?

    @Option(help: "The name the server certificate must carry.")
    var serverHostOverride: String?

    func run() async throws {
        let cases: [InteropTestCase]
        if testCase == "all" {
            cases = InteropTestCase.allCases
        } else if let single = InteropTestCase(rawValue: testCase) {
            cases = [single]
        } else {
            throw ValidationError("unknown test case '\(testCase)'")
        }
        let target: RPCClient.Target
        if let uds {
            target = .unixDomainSocket(path: uds)
        } else if useTLS {
            target = .tls(host: serverHost, port: serverPort,
                          tls: .init(trustRootsPath: caFile, serverHostnameOverride: serverHostOverride))
        } else {
            target = .tcp(host: serverHost, port: serverPort)
        }
        let client = RPCClient(target: target)
        var failed = 0
        for interopCase in cases {
            do {
                try await interopCase.run(with: client)
                print("PASS \(interopCase.rawValue)")
            } catch {
                failed += 1
                print("FAIL \(interopCase.rawValue): \(error)")
            }
        }
        await client.close()
        if failed > 0 { throw ExitCode(1) }
    }
}
