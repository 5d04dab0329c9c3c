public import ArgumentParser
import Glibc
public import Logging
import RPCInterop
import RPCTransport

/// Serves the gRPC interoperability test service, the benchmark echo service, health
/// and reflection.
@main
struct InteropServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc-interop-server",
        abstract: "Serve grpc.testing.TestService over the nghttp2 transport.")

    @Option(help: "TCP port; 0 picks a free one.")
    var port: Int = 10000

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Also listen on this Unix domain socket.")
    var uds: String?

    @Flag(help: "Serve TLS (ALPN h2) on the TCP port.")
    var tls = false

    @Option(help: "PEM certificate chain for --tls (scripts/make-test-cert.sh makes a test pair).")
    var certChain: String?

    @Option(help: "PEM private key for --tls.")
    var privateKey: String?

    @Flag(help: "Run handlers on the global concurrent executor instead of the connection's event loop.")
    var handlersOffEventLoop = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: Logger.Level = .notice

    func run() async throws {
        var listeners: [RPCServer.Listener] = []
        if tls {
            guard let certChain, let privateKey else {
                throw ValidationError("--tls needs --cert-chain and --private-key; scripts/make-test-cert.sh makes a test pair")
            }
            listeners.append(.tls(host: host, port: port, tls: .init(certificateChainPath: certChain, privateKeyPath: privateKey)))
        } else {
            listeners.append(.tcp(host: host, port: port))
        }
        if let uds { listeners.append(.unixDomainSocket(path: uds)) }

        var logger = Logger(label: "rpc-interop-server")
        logger.logLevel = logLevel
        let services: [any RPCService] = [TestService(), EchoService()]
        let health = HealthService()
        for name in RPCRouter(services: services).serviceNames { health.setStatus(.serving, forService: name) }
        var configuration = RPCServer.Configuration(listeners: listeners)
        configuration.runsHandlersOnEventLoops = !handlersOffEventLoop
        let server = RPCServer(
            configuration: configuration,
            services: services + [health, ReflectionService(services: services + [health], files: InteropProtoFiles.all)],
            logger: logger)

        try await server.runUntilTerminated { addresses in
            for address in addresses { print("listening on \(address)") }
            fflush(nil)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
