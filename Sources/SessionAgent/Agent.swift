public import Foundation
public import Logging
public import RPCTransport
public import SessionSDK

/// The session agent: serves a session's terminals to the gateway
/// (``AgentService``), behind its per-session token (``AgentTokenInterceptor``).
///
/// `sessiongw-agent` runs one; tests run it in process.
///
/// ```swift
/// let agent = try Agent(configuration: .init(listen: "127.0.0.1:0", token: token, terminals: terminals))
/// try await agent.run { addresses in print(addresses) }   // until ``stop()``
/// ```
public final class Agent: Sendable {
    /// What the agent serves and how.
    public struct Configuration: Sendable {
        /// `HOST:PORT` or `unix:PATH`.
        public var listen: String
        /// The session's agent token: callers send `authorization: Bearer TOKEN`.
        public var token: String
        /// The terminals' state, directory and defaults.
        public var terminals: TerminalHost.Configuration

        /// A configuration.
        public init(listen: String, token: String, terminals: TerminalHost.Configuration) {
            self.listen = listen
            self.token = token
            self.terminals = terminals
        }
    }

    /// The agent's version.
    public static let version = "0.1.0"

    /// The session's terminals.
    public let terminals: TerminalHost
    private let server: RPCServer

    /// An agent, its terminals restored from their state directory.
    ///
    /// - Throws: `INVALID_ARGUMENT` for an address of another form or an empty token;
    ///   what restoring the terminals throws.
    public init(configuration: Configuration, logger: Logger = Logger(label: "sessiongw.agent")) throws {
        guard let listener = RPCServer.Listener(address: configuration.listen) else {
            throw SessionError(.invalidArgument, "'\(configuration.listen)' is not HOST:PORT or unix:PATH")
        }
        guard !configuration.token.isEmpty else { throw SessionError(.invalidArgument, "the agent token is empty") }
        terminals = try TerminalHost(configuration: configuration.terminals)
        server = RPCServer(
            configuration: .init(listeners: [listener]),
            services: [AgentService(terminals: terminals, version: Self.version), HealthService()],
            interceptors: [AgentTokenInterceptor(token: configuration.token)],
            logger: logger)
    }

    /// Serves until ``stop()``; `onListening` gets the bound addresses.
    public func run(onListening: @Sendable ([String]) -> Void = { _ in }) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.server.run() }
            onListening(try await server.listeningAddresses())
        }
    }

    /// Stops: ends every terminal's processes (their records and scrollback stay for the
    /// next agent), which ends attached clients' streams, then the server once the
    /// calls in flight are done.
    public func stop() {
        terminals.stopAll()
        server.beginGracefulShutdown()
    }
}
