import Foundation
import LocalBackend
import Logging
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import Testing

/// A whole gateway in this process, on a Unix socket in a temporary directory, with
/// the embedded default's Local backend and whatever access settings a test gives;
/// called through a real ``RPCClient``. It logs as ``TestLogHandler`` says: nowhere,
/// or to `$SESSIONGW_TEST_LOG_DIR/running-gateway.log`.
struct RunningGateway: Sendable {
    let gateway: Gateway
    let client: RPCClient
    let directory: String

    /// The administrator token's value.
    var adminToken: String { gateway.adminToken.value }

    /// Runs `body` with a gateway, then deletes the sessions left, stops it and removes
    /// its directory.
    /// `configure` may change the configuration first; the connection proxy listens
    /// on a free port.
    static func run<Result: Sendable>(
        access: GatewayConfiguration.Access = .init(),
        configure: (inout GatewayConfiguration) -> Void = { _ in },
        _ body: (RunningGateway) async throws -> Result
    ) async throws -> Result {
        let directory = "/tmp/sessiongw-running-\(UUID().uuidString.prefix(8).lowercased())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = GatewayConfiguration.embeddedDefault(dataDirectory: directory + "/data")
        configuration.listen = ["unix:\(directory)/gateway.sock"]
        configuration.access = access
        configuration.connect?.listen = "127.0.0.1:0"
        configuration.connect?.listenIsDefault = false
        configure(&configuration)
        // Silent, or at debug level to $SESSIONGW_TEST_LOG_DIR/running-gateway.log for scripts/check-secrets.sh.
        let logger = TestLogHandler.logger(label: "running-gateway")
        let gateway = try await Gateway(configuration: configuration, backends: [LocalProvider.factory(logger: logger)], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            let address = try await gateway.listeningAddresses()[0]
            let client = RPCClient(target: try #require(RPCClient.Target(address: address)))
            let running = RunningGateway(gateway: gateway, client: client, directory: directory)
            let result: Swift.Result<Result, any Error>
            do {
                result = .success(try await body(running))
            } catch {
                result = .failure(error)
            }
            // Sessions a test leaves are deleted, so that none of their processes outlives it.
            for session in (try? await gateway.store.sessionSummaries()) ?? [] {
                try? await gateway.controller.deleteSession(workspace: session.workspace, id: session.id, force: true)
            }
            await client.close()
            group.cancelAll()
            try? await group.waitForAll()
            return try result.get()
        }
    }

    /// A new API token for `caller`; its value.
    func token(for caller: String, expiresAt: Double? = nil) async throws -> String {
        let (token, value) = APIToken.make(caller: caller, description: "test", expiresAt: expiresAt)
        try await gateway.store.addToken(token, sha256: APIToken.sha256(of: value))
        return value
    }

    /// `authorization` metadata for a token, or none.
    static func metadata(_ token: String?) -> Metadata {
        guard let token else { return [:] }
        return ["authorization": .string("Bearer \(token)")]
    }
}

extension RunningGateway {
    /// Polls GetSession until the session is in `state`; records an issue after 60 s.
    func waitFor(_ state: V1SessionState, _ id: String, metadata: Metadata) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let session = try await client.unary(
                SessionServiceMethods.getSession, request: V1GetSessionRequest(sessionID: id), metadata: metadata
            ).message
            if session.state == state { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("session \(id) did not become \(state) within 60 s")
    }

    /// The RPC error `body` ends with; nil when it succeeds or fails otherwise.
    static func refusal(_ body: () async throws -> Void) async -> RPCError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? RPCError
        }
    }
}
