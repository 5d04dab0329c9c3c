import ArgumentParser
import Glibc
import Logging
import RPCTransport

/// The session gateway.
@main
struct SessionGateway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessiongw",
        abstract: "The session platform gateway.",
        subcommands: [Serve.self],
        defaultSubcommand: Serve.self)
}

/// `sessiongw serve`: runs the gateway until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway.")

    @Option(help: "Address to listen on: HOST:PORT or unix:PATH.")
    var listen: String = "127.0.0.1:50051"

    func run() async throws {
        guard let listener = Self.listener(for: listen) else {
            throw ValidationError("--listen '\(listen)' is not HOST:PORT or unix:PATH")
        }
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "sessiongw")
        let health = HealthService()
        let server = RPCServer(
            configuration: .init(listeners: [listener]),
            services: [health, ReflectionService(services: [health])],
            logger: logger)
        try await server.runUntilTerminated { addresses in
            for address in addresses { print("sessiongw listening on \(address)") }
            fflush(nil)
        }
    }

    static func listener(for address: String) -> RPCServer.Listener? {
        switch RPCClient.Target(address: address) {
        case .tcp(let host, let port)?: .tcp(host: host, port: port)
        case .unixDomainSocket(let path)?: .unixDomainSocket(path: path)
        case .tls?, nil: nil
        }
    }
}
