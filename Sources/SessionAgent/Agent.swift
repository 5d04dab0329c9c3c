public import Foundation
public import Logging
public import RPCTransport
public import SessionSDK
import Synchronization

/// The session agent: supervises the session's IDE command (``IDESupervisor``) and
/// serves the session's terminals to the gateway (``AgentService``), behind its
/// per-session token (``AgentTokenInterceptor``). It ends with the IDE command, so a
/// backend that watches the agent watches the IDE.
///
/// `sessiongw-agent` runs one; tests run it in process.
///
/// ```swift
/// let agent = try Agent(configuration: .init(
///     listen: "127.0.0.1:0", token: token, terminals: terminals, ide: .init(command: ["jupyter", "lab"], port: 8888)))
/// let exit = try await agent.run { addresses in print(addresses) }   // until the IDE ends or ``stop()``
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
        /// The IDE command to supervise; nil for none (the agent then runs until
        /// ``Agent/stop()``).
        public var ide: IDECommand?
        /// How often the session's utilization is sampled (15 s by default).
        public var sampleInterval: Duration
        /// How the disk of the terminals' working directory (the home) is measured.
        public var diskUsage: SessionAgentLaunch.DiskUsage

        /// A configuration.
        public init(
            listen: String, token: String, terminals: TerminalHost.Configuration, ide: IDECommand? = nil,
            sampleInterval: Duration = .seconds(15), diskUsage: SessionAgentLaunch.DiskUsage = .filesystem
        ) {
            self.listen = listen
            self.token = token
            self.terminals = terminals
            self.ide = ide
            self.sampleInterval = sampleInterval
            self.diskUsage = diskUsage
        }
    }

    /// The session's IDE command. It runs in the terminals' working directory with
    /// their environment.
    public struct IDECommand: Sendable {
        /// The command as argv.
        public var command: [String]
        /// The port it serves on, probed for readiness; nil for none.
        public var port: Int?

        /// A command.
        public init(command: [String], port: Int?) {
            self.command = command
            self.port = port
        }
    }

    /// The agent's version.
    public static let version = "0.1.0"

    /// The session's terminals.
    public let terminals: TerminalHost
    private let configuration: Configuration
    private let server: RPCServer
    private let ide = SupervisorSlot()
    /// The session's utilization, sampled while the agent runs.
    public let utilization: UtilizationSampler

    /// The IDE supervisor once ``run(onListening:)`` has started it.
    private final class SupervisorSlot: Sendable {
        private let supervisor = Mutex<IDESupervisor?>(nil)
        var current: IDESupervisor? {
            get { supervisor.withLock { $0 } }
            set { supervisor.withLock { $0 = newValue } }
        }
    }

    /// An agent, its terminals restored from their state directory.
    ///
    /// - Throws: `INVALID_ARGUMENT` for an address of another form or an empty token;
    ///   what restoring the terminals throws.
    public init(configuration: Configuration, logger: Logger = Logger(label: "sessiongw.agent")) throws {
        guard let listener = RPCServer.Listener(address: configuration.listen) else {
            throw SessionError(.invalidArgument, "'\(configuration.listen)' is not HOST:PORT or unix:PATH")
        }
        guard !configuration.token.isEmpty else { throw SessionError(.invalidArgument, "the agent token is empty") }
        self.configuration = configuration
        let terminals = try TerminalHost(configuration: configuration.terminals)
        self.terminals = terminals
        let ide = self.ide
        let utilization = UtilizationSampler(
            interval: configuration.sampleInterval, directory: configuration.terminals.workingDirectory,
            diskUsage: configuration.diskUsage, path: configuration.terminals.environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        self.utilization = utilization
        server = RPCServer(
            configuration: .init(listeners: [listener]),
            services: [
                AgentService(
                    terminals: terminals, version: Self.version, ide: { ide.current },
                    jupyter: configuration.ide?.port.map { port in
                        JupyterServer(
                            port: port, token: configuration.terminals.environment["SESSION_TOKEN"] ?? "",
                            basePath: configuration.terminals.environment[Preset.baseURLVariable] ?? "/")
                    },
                    utilization: utilization),
                HealthService(),
            ],
            interceptors: [AgentTokenInterceptor(token: configuration.token)],
            logger: logger)
    }

    /// Serves, then starts the IDE command if there is one, until it ends or ``stop()``;
    /// `onListening` gets the bound addresses once the IDE command has started.
    ///
    /// - Returns: how the IDE command ended; nil without one.
    /// - Throws: `FAILED_PRECONDITION` when the IDE command cannot start; what
    ///   binding throws.
    @discardableResult
    public func run(onListening: @Sendable ([String]) -> Void = { _ in }) async throws -> TerminalExit? {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.server.run() }
            group.addTask { await self.utilization.run() }
            let addresses = try await server.listeningAddresses()
            // The IDE starts once the agent listens (a session whose IDE serves has an
            // agent that answers), and `onListening` hears of both together, so a
            // caller told the addresses finds the IDE reported.
            guard let command = configuration.ide else {
                onListening(addresses)
                return
            }
            let supervisor: IDESupervisor
            do {
                supervisor = try IDESupervisor(
                    command: command.command, environment: configuration.terminals.environment,
                    directory: configuration.terminals.workingDirectory, port: command.port)
            } catch {
                stop()
                throw error
            }
            ide.current = supervisor
            onListening(addresses)
            group.addTask {
                _ = await supervisor.waitForExit()
                self.stop()
            }
        }
        return ide.current?.status
    }

    /// Stops: asks the IDE command to end (SIGTERM to its process group), ends every
    /// terminal's processes (their records and scrollback stay for the next agent),
    /// which ends attached clients' streams, the sampling, then the server once the
    /// calls in flight are done.
    public func stop() {
        ide.current?.signal(SIGTERM)
        terminals.stopAll()
        utilization.stop()
        server.beginGracefulShutdown()
    }
}
