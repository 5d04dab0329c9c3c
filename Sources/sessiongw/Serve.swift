import ArgumentParser
import Foundation
import Logging
import SessionGateway
import ServiceLifecycle
import UnixSignals

/// `sessiongw serve`: runs the gateway until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the gateway.",
        discussion: """
            With no options, the gateway starts on its embedded default: the Local backend (each session is a \
            process group on this machine), a sample preset, and its store under ~/.sessiongw, listening on \
            127.0.0.1:50051. On first start it writes an administrator token to DATA_DIR/admin-token; every \
            call but health checks needs it as 'authorization: Bearer TOKEN'.
            """)

    @Option(help: "Address to listen on (HOST:PORT or unix:PATH); repeat for several. Overrides the configuration file.")
    var listen: [String] = []

    @Option(help: "Directory for the store, the Local backend's files and the admin token.")
    var dataDir: String = FileManager.default.homeDirectoryForCurrentUser.path + "/.sessiongw"

    @Option(help: "YAML configuration file; see docs/configuration.md.")
    var config: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() async throws {
        var configuration: GatewayConfiguration
        if let config {
            guard let text = try? String(contentsOfFile: config, encoding: .utf8) else {
                throw ValidationError("cannot read the configuration file '\(config)'")
            }
            configuration = try GatewayConfiguration.load(yaml: text, dataDirectory: dataDir)
        } else {
            configuration = .embeddedDefault(dataDirectory: dataDir)
        }
        if !listen.isEmpty { configuration.listen = listen }

        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "sessiongw")
        let gateway = try await Gateway(configuration: configuration, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: gateway)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            let addresses = try await gateway.listeningAddresses()
            let token = gateway.adminToken.path
            print(gateway.adminTokenCreated ? "wrote a new administrator token to \(token)" : "administrator token: \(token)")
            for address in addresses { print("sessiongw listening on \(address)") }
            print("authenticate with: --token \"$(cat \(token))\"  (or 'authorization: Bearer <token>' metadata)")
            fflush(nil)
        }
    }
}
