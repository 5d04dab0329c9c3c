import Foundation
import LocalBackend
import Logging
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import SessionTestSupport
import Testing

/// Terminals through a whole gateway on the embedded default's Local backend: the
/// session agent runs in the session's sandbox, and the gateway reaches it.
@Suite("Terminals on the Local backend", .serialized)
struct TerminalsOnLocalTests {
    @Test("create, scrollback, exclusive attach, pause and resume, delete")
    func acceptance() async throws {
        try await Self.withGateway { gateway in
            let id = try await Self.createRunning("terms", on: gateway)
            try await TerminalScenario.run(gateway, session: id)
        }
    }

    @Test("terminals keep running across a gateway restart, and a client reattaches to their scrollback")
    func gatewayRestart() async throws {
        let directory = Self.newDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (id, shell) = try await Self.withGateway(in: directory) { gateway in
            let id = try await Self.createRunning("restart", on: gateway)
            _ = try await gateway.terminals.createTerminal(V1CreateTerminalRequest(sessionID: id, name: "keep"))
            let attachment = TerminalAttachment(client: gateway.terminals, session: id, name: "keep")
            attachment.type("echo shell-$$\r")
            _ = try await eventually(timeout: .seconds(30)) { attachment.output.contains(/shell-[0-9]+\r\n/) }
            await attachment.close()
            let pid = try #require(attachment.output.firstMatch(of: /shell-([0-9]+)\r\n/)).1
            return (id, String(pid))
        }
        try await Self.withGateway(in: directory) { gateway in
            let terminals = try await gateway.terminals.listTerminals(V1ListTerminalsRequest(sessionID: id)).terminals
            #expect(terminals.map(\.name) == ["keep"])
            #expect(terminals.first?.running == true)
            let attachment = TerminalAttachment(client: gateway.terminals, session: id, name: "keep")
            try await attachment.waitForOutput(containing: "shell-\(shell)")
            attachment.type("echo again-$$\r")
            // The same shell process: it kept running while no gateway was there.
            try await attachment.waitForOutput(containing: "again-\(shell)")
            await attachment.close()
            try await gateway.delete(id)
        }
    }

    @Test("an agent takes only its own session's token")
    func tokensAreSessionScoped() async throws {
        try await Self.withGateway { gateway in
            let first = try await Self.createRunning("first", on: gateway)
            let second = try await Self.createRunning("second", on: gateway)
            let tokens = try #require(gateway.gateway.controller.agentTokens)
            let stored = try await gateway.gateway.store.session(id: SessionID(rawValue: second), workspace: .default)
            let address = try #require(stored.connection?.agentAddress)
            let client = RPCClient(target: try #require(RPCClient.Target(address: address)))
            defer { Task { await client.close() } }
            func status(with token: String?) async -> RPCError.Code {
                do {
                    _ = try await AgentServiceClient(client: client, metadata: RunningGateway.metadata(token))
                        .getStatus(AgentV1GetStatusRequest())
                    return .ok
                } catch {
                    return (error as? RPCError)?.code ?? .unknown
                }
            }
            #expect(await status(with: tokens.token(for: SessionID(rawValue: first))) == .unauthenticated)
            #expect(await status(with: nil) == .unauthenticated)
            #expect(await status(with: tokens.token(for: SessionID(rawValue: second))) == .ok)
            // The caller never sees where the agent is.
            let connection = try await gateway.sessions.getSessionConnection(V1GetSessionConnectionRequest(sessionID: second))
            #expect(!"\(connection)".contains(address))
        }
    }

    @Test("terminals of a session that is not RUNNING, or of an unknown terminal, are refused with a reason")
    func refusals() async throws {
        try await Self.withGateway { gateway in
            let id = try await Self.createRunning("refusals", on: gateway)
            let terminals = gateway.terminals
            let unknown = await RunningGateway.refusal {
                _ = try await terminals.deleteTerminal(V1DeleteTerminalRequest(sessionID: id, name: "nope"))
            }
            #expect(unknown?.code == .notFound)
            let badName = await RunningGateway.refusal {
                _ = try await terminals.createTerminal(V1CreateTerminalRequest(sessionID: id, name: "Bad Name"))
            }
            #expect(badName?.code == .invalidArgument)
            _ = try await terminals.createTerminal(V1CreateTerminalRequest(sessionID: id, name: "taken"))
            let taken = await RunningGateway.refusal {
                _ = try await terminals.createTerminal(V1CreateTerminalRequest(sessionID: id, name: "taken"))
            }
            #expect(taken?.code == .alreadyExists)
            let attachment = TerminalAttachment(client: terminals, session: id, name: "nope")
            #expect(try await attachment.waitForEnd() == .failed(.notFound, "no terminal named 'nope' in this session"))
            await attachment.close()
            try await gateway.pause(id)
            _ = try await gateway.wait(id) { $0.state == .paused }
            let paused = await RunningGateway.refusal {
                _ = try await terminals.listTerminals(V1ListTerminalsRequest(sessionID: id))
            }
            #expect(paused?.code == .failedPrecondition)
            #expect(paused?.message.contains("PAUSED") == true)
        }
    }

    // MARK: Support

    static func newDirectory() -> String {
        "/tmp/sessiongw-terminals-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A gateway on the embedded default in `directory` (a new one by default, removed
    /// afterwards), on a Unix socket.
    static func withGateway<Result: Sendable>(
        in directory: String? = nil, _ body: (InProcessGateway) async throws -> Result
    ) async throws -> Result {
        let root = directory ?? newDirectory()
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: root) } }
        var configuration = GatewayConfiguration.embeddedDefault(dataDirectory: root + "/data")
        configuration.listen = ["unix:\(root)/gateway.sock"]
        configuration.connect = nil
        let logger = TestLogHandler.logger(label: "terminals-local")
        return try await InProcessGateway.serve(
            configuration: configuration, backends: [LocalProvider.factory(logger: logger)], logger: logger
        ) { gateway in
            do {
                let result = try await body(gateway)
                if directory == nil { try await deleteAll(on: gateway) }
                return result
            } catch {
                try? await deleteAll(on: gateway)
                throw error
            }
        }
    }

    static func deleteAll(on gateway: InProcessGateway) async throws {
        for session in try await gateway.sessions.listSessions(V1ListSessionsRequest()).sessions {
            try await gateway.delete(session.id)
            try await gateway.waitUntilGone(session.id)
        }
    }

    /// A new session of the embedded preset, RUNNING.
    static func createRunning(_ name: String, on gateway: InProcessGateway) async throws -> String {
        let session = try await gateway.sessions.createSession(V1CreateSessionRequest(
            name: name, spec: V1SessionSpec(preset: "notebook", image: "python3", computeEnvironment: "local")))
        _ = try await gateway.wait(session.id) { $0.state == .running }
        return session.id
    }
}
