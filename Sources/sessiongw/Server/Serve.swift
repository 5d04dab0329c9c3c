import ArgumentParser
import Foundation
import Glibc
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
            127.0.0.1:50051, and its connection proxy to sessions' IDEs on 127.0.0.1:8081 (a free port when \
            that one is taken). On first start it writes an administrator token to DATA_DIR/admin-token; every \
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
        Self.limitMallocArenas()
        var configuration = try ConfigurationFile.load(config, dataDirectory: dataDir)
        if !listen.isEmpty { configuration.listen = listen }

        try LogOutput.bootstrap(level: logLevel)
        let logger = Logger(label: "sessiongw")
        let gateway = try await Gateway(
            configuration: configuration, backends: BuiltInBackends.factories(logger: logger), logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: gateway)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            let addresses = try await gateway.listeningAddresses()
            let token = gateway.adminToken.path
            print(gateway.adminTokenCreated ? "wrote a new administrator token to \(token)" : "administrator token: \(token)")
            for address in addresses { print("sessiongw listening on \(address)") }
            if let proxy = try await gateway.connectionProxyAddress() {
                print("connection proxy listening on \(proxy): 'sessiongw session connect ID' gives members a link to open")
            }
            print("authenticate with: --token \"$(cat \(token))\"  (or 'authorization: Bearer <token>' metadata)")
            if addresses.contains(where: { $0.hasPrefix("https://") }) {
                print("TLS is on: clients pass --address https://HOST:PORT and --ca-file with the CA that signed the certificate")
            } else if addresses.contains(where: { $0.hasPrefix("h2c://") }) {
                print("TCP is cleartext: to serve TLS, put 'tls: {certificate: CERT.pem, privateKey: KEY.pem}' in a --config file "
                    + "(scripts/make-test-cert.sh DIR makes a test CA and certificate); it is reloaded when the files change")
            }
            fflush(nil)
        }
    }

    /// Caps glibc's malloc at two arenas unless `MALLOC_ARENA_MAX` says otherwise. By
    /// default glibc gives each busy thread its own arena (up to eight per core), and
    /// the gateway's many short allocations spread over the event-loop, store and
    /// cooperative-pool threads fragment them: with 10,000 sessions the gateway held
    /// almost three times the memory it needed (docs/benchmarks.md).
    private static func limitMallocArenas() {
        // mallopt is in <malloc.h>, which Glibc's module map leaves out.
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        let arenaMax: Int32 = -8  // M_ARENA_MAX
        guard getenv("MALLOC_ARENA_MAX") == nil, let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else {
            return
        }
        _ = unsafeBitCast(symbol, to: MallocOption.self)(arenaMax, 2)
    }
}
