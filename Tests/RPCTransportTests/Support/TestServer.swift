import Foundation
import Logging
import RPCTransport

/// Runs `body` with an ``RPCServer`` serving `services` on a free loopback port and a
/// client connected to it; the server is shut down gracefully afterwards, even when
/// `body` throws.
func withTestServer<Result: Sendable>(
    services: [any RPCService],
    interceptors: [any ServerInterceptor] = [],
    metrics: TestMetrics? = nil,
    listener: RPCServer.Listener = .tcp(host: "127.0.0.1", port: 0),
    clientTLS: RPCClient.TLSConfiguration? = nil,
    configure: (inout RPCServer.Configuration) -> Void = { _ in },
    body: (RPCClient, RPCServer) async throws -> Result
) async throws -> Result {
    var configuration = RPCServer.Configuration(listeners: [listener])
    configure(&configuration)
    let server = RPCServer(
        configuration: configuration, services: services, interceptors: interceptors,
        logger: Logger(label: "test-server"), metricsFactory: metrics)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        let address = try await server.listeningAddresses()[0]
        let client = RPCClient(target: RPCClient.Target(address: address, tls: clientTLS)!)
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await body(client, server))
        } catch {
            result = .failure(error)
        }
        await client.close()
        server.beginGracefulShutdown()
        try await group.waitForAll()
        return try result.get()
    }
}

/// A throwaway CA and server certificate made by `scripts/make-test-cert.sh`.
struct TestCertificates {
    let directory: String
    var caPath: String { directory + "/ca.pem" }
    var certificatePath: String { directory + "/server.pem" }
    var keyPath: String { directory + "/server.key" }

    static func make() throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rpc-certs-\(UUID().uuidString)").path
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/make-test-cert.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, directory]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RPCError(.internalError, "make-test-cert.sh failed with \(process.terminationStatus)")
        }
        return TestCertificates(directory: directory)
    }
}
