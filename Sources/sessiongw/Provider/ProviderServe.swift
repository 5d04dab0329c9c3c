import ArgumentParser
import Foundation
import Logging
import ProviderPlugin
import SessionGateway
import SessionSDK

/// `sessiongw provider serve`: serves one compute environment's backend as
/// `sessiongw.provider.v1.SessionProviderService`, so a gateway (an environment with
/// `backend: remote` and this address) or `sessiongw conformance --provider ADDRESS`
/// reaches it out of process, as CSI drivers are reached.
struct ProviderServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve one compute environment's backend over provider.proto until SIGTERM or SIGINT.",
        discussion: """
            The backend is built from the environment's entry in the configuration file, exactly as the \
            gateway builds it. The service has no authentication of its own: listen on a Unix socket \
            (unix:PATH), whose file permissions decide who may call it, or on a loopback address.
            """)

    @Option(help: "The compute environment whose backend to serve (default: the configuration's first).")
    var environment: String?

    @Option(help: "Address to listen on: unix:PATH or HOST:PORT.")
    var listen: String

    @Option(help: "YAML configuration file (the gateway's format); the embedded default when omitted.")
    var config: String?

    @Option(help: "Directory for the backend's files.")
    var dataDir: String = FileManager.default.homeDirectoryForCurrentUser.path + "/.sessiongw"

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() async throws {
        try LogOutput.bootstrap(level: logLevel)
        let configuration = try ConfigurationFile.load(config, dataDirectory: dataDir)
        let entry = try Self.entry(environment, in: configuration)
        let logger = Logger(label: "sessiongw.provider")
        let provider = try await Gateway.provider(
            for: entry, configuration: configuration, backends: BuiltInBackends.factories(logger: logger))
        let environmentID = entry.environment.id
        try await ProviderPlugin.serve(provider, listen: listen, logger: logger) { addresses in
            for address in addresses {
                print("sessiongw provider '\(provider.identity.name)' for environment '\(environmentID)' listening on \(address)")
            }
            fflush(nil)
        }
    }

    /// The environment named `id`, or the first one.
    ///
    /// - Throws: `ValidationError` listing the environments when there is no such one.
    static func entry(_ id: String?, in configuration: GatewayConfiguration) throws -> GatewayConfiguration.Environment {
        let entry = id.map { id in configuration.environments.first { $0.environment.id == id } }
            ?? configuration.environments.first
        guard let entry else {
            let known = configuration.environments.map(\.environment.id).joined(separator: ", ")
            throw ValidationError("no compute environment '\(id ?? "")' in the configuration; it has: \(known)")
        }
        return entry
    }
}
