import Foundation
public import Logging
public import RPCTransport
public import SessionAPI
public import SessionGateway
public import SessionSDK

/// A gateway built from a configuration and backend factories in this process, run for
/// the length of a test body, and called through a real ``RPCClient`` over its first
/// listener with the administrator token: what every end-to-end Swift test of a backend
/// starts from.
///
/// ```swift
/// try await InProcessGateway.serve(configuration: configuration, backends: [SlurmProvider.factory(logger: logger)]) { gateway in
///     let session = try await gateway.sessions.createSession(V1CreateSessionRequest(name: "demo", spec: spec))
///     _ = try await gateway.wait(session.id) { $0.state == .running }
/// }
/// ```
public struct InProcessGateway: Sendable {
    /// The gateway.
    public let gateway: Gateway
    /// A client connected to its first listener.
    public let client: RPCClient

    /// `authorization` metadata with the administrator token (read from its file, as
    /// an operator would).
    public let admin: Metadata
    /// `sessiongw.v1.SessionService` as the administrator.
    public var sessions: SessionServiceClient { SessionServiceClient(client: client, metadata: admin) }
    /// `sessiongw.v1.CheckpointService` as the administrator.
    public var checkpoints: CheckpointServiceClient { CheckpointServiceClient(client: client, metadata: admin) }
    /// `sessiongw.v1.DataLinkService` as the administrator.
    public var dataLinks: DataLinkServiceClient { DataLinkServiceClient(client: client, metadata: admin) }
    /// `sessiongw.v1.TerminalService` as the administrator.
    public var terminals: TerminalServiceClient { TerminalServiceClient(client: client, metadata: admin) }

    /// Builds a gateway, runs it while `body` runs, and stops it (also when `body`
    /// throws). Served again on the same configuration, it reopens the same store: a
    /// restart.
    ///
    /// - Parameter waitsForConnectionProxy: whether to wait until the connection proxy
    ///   listens before `body` runs (for tests that open sessions' IDEs).
    public static func serve<Result: Sendable>(
        configuration: GatewayConfiguration, backends: [BackendFactory], logger: Logger? = nil,
        waitsForConnectionProxy: Bool = false, _ body: (InProcessGateway) async throws -> Result
    ) async throws -> Result {
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let logger = logger ?? Logger(label: "sessiongw.tests") { _ in SwiftLogNoOpLogHandler() }
        let gateway = try await Gateway(configuration: configuration, backends: backends, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            let address = try await gateway.listeningAddresses()[0]
            if waitsForConnectionProxy { _ = try await gateway.connectionProxyAddress() }
            guard let target = RPCClient.Target(address: address) else {
                throw TestFailure("the gateway listens on \(address), which a client cannot reach")
            }
            let client = RPCClient(target: target)
            let result: Swift.Result<Result, any Error>
            do {
                let token = try String(contentsOfFile: gateway.adminToken.path, encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let admin: Metadata = ["authorization": .string("Bearer \(token)")]
                result = .success(try await body(InProcessGateway(gateway: gateway, client: client, admin: admin)))
            } catch {
                result = .failure(error)
            }
            await client.close()
            group.cancelAll()
            try? await group.waitForAll()
            return try result.get()
        }
    }
}
