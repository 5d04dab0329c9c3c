internal import ArgumentParser
internal import GRPCCore
internal import GRPCNIOTransportHTTP2Posix

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Serves `sessiongw.benchmark.v1.Echo` over plaintext HTTP/2 on 127.0.0.1 with
/// grpc-swift-2's default NIO transport configuration.
@main
struct EchoServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpc-swift-echo-server",
        abstract: "grpc-swift-2 echo server for the transport benchmark."
    )

    @Option(help: "The loopback port to listen on.")
    var port: Int

    func run() async throws {
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: "127.0.0.1", port: self.port),
            transportSecurity: .plaintext,
            config: .defaults
        )
        let server = GRPCServer(transport: transport, services: [EchoService()])
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            if let address = try await transport.listeningAddress.ipv4 {
                print("grpc-swift-echo-server listening on \(address.host):\(address.port)")
                fflush(nil)  // flush all streams; stdout is a file when run by the script
            }
        }
    }
}
