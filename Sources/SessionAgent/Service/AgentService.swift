internal import Foundation
public import RPCTransport
internal import SessionAPI
public import SessionSDK

/// Serves a session's ``TerminalHost`` as `sessiongw.agent.v1.AgentService`
/// (`proto/sessiongw/agent/v1/agent.proto`): what the gateway asks of the agent.
///
/// Put an ``AgentTokenInterceptor`` in front of it: the service itself trusts every
/// caller that reaches it.
///
/// ```swift
/// let server = RPCServer(
///     configuration: .init(listeners: [.unixDomainSocket(path: "/run/agent.sock")]),
///     services: [AgentService(terminals: host, version: "1.0.0"), HealthService()],
///     interceptors: [AgentTokenInterceptor(token: token)],
///     logger: logger)
/// ```
public struct AgentService: RPCService {
    /// The session's terminals.
    public let terminals: TerminalHost
    /// The agent's version, reported by `GetStatus`.
    public let version: String
    /// The IDE command the agent supervises, if any, reported by `GetStatus`.
    public let ide: @Sendable () -> IDESupervisor?
    /// The Jupyter server serving as the IDE, asked for its kernels and terminals; nil
    /// when the session's IDE has no port to ask.
    public let jupyter: JupyterServer?
    /// The session's utilization; nil when the agent does not sample it.
    public let utilization: UtilizationSampler?

    /// Creates the service.
    public init(
        terminals: TerminalHost, version: String, ide: @escaping @Sendable () -> IDESupervisor? = { nil },
        jupyter: JupyterServer? = nil, utilization: UtilizationSampler? = nil
    ) {
        self.terminals = terminals
        self.version = version
        self.ide = ide
        self.jupyter = jupyter
        self.utilization = utilization
    }

    public func registerMethods(with router: inout RPCRouter) {
        Calls(terminals: terminals, version: version, ide: ide, jupyter: jupyter, utilization: utilization)
            .registerMethods(with: &router)
    }

    /// The generated service protocol's functions (kept apart so that the generated
    /// API types stay out of this module's public API).
    private struct Calls: AgentServiceProtocol {
        let terminals: TerminalHost
        let version: String
        let ide: @Sendable () -> IDESupervisor?
        let jupyter: JupyterServer?
        let utilization: UtilizationSampler?

        func getUtilization(
            _ request: AgentV1GetUtilizationRequest, context: ServerContext
        ) async throws -> AgentV1GetUtilizationResponse {
            guard let sample = utilization?.latest else {
                throw RPCError(.failedPrecondition, "the agent has not sampled the session's utilization yet")
            }
            return AgentV1GetUtilizationResponse(sample: AgentV1UtilizationSample(sample))
        }

        func getStatus(_ request: AgentV1GetStatusRequest, context: ServerContext) async throws -> AgentV1GetStatusResponse {
            AgentV1GetStatusResponse(
                version: version, terminalCount: Int32(clamping: terminals.list().count),
                ide: ide().map { AgentV1IDEStatus(pid: $0.pid, ready: $0.isReady) })
        }

        func createTerminal(
            _ request: AgentV1CreateTerminalRequest, context: ServerContext
        ) async throws -> AgentV1CreateTerminalResponse {
            try serving { () throws(SessionError) in
                let name = try APIFieldRules.text(request.name, field: "name")
                let command = try APIFieldRules.texts(request.command, field: "command")
                let directory = try APIFieldRules.text(request.workingDirectory, field: "working_directory")
                let info = try terminals.create(
                    name: name.isEmpty ? nil : name, command: command, directory: directory.isEmpty ? nil : directory)
                return AgentV1CreateTerminalResponse(terminal: AgentV1Terminal(info))
            }
        }

        func listTerminals(
            _ request: AgentV1ListTerminalsRequest, context: ServerContext
        ) async throws -> AgentV1ListTerminalsResponse {
            AgentV1ListTerminalsResponse(terminals: terminals.list().map(AgentV1Terminal.init))
        }

        func deleteTerminal(
            _ request: AgentV1DeleteTerminalRequest, context: ServerContext
        ) async throws -> AgentV1DeleteTerminalResponse {
            try serving { () throws(SessionError) in
                try terminals.delete(try APIFieldRules.required(request.name, field: "name"))
                return AgentV1DeleteTerminalResponse()
            }
        }

        func attachTerminal(
            _ requests: ServerRequestStream<AgentV1AttachTerminalRequest>,
            writer: ServerResponseWriter<AgentV1AttachTerminalResponse>, context: ServerContext
        ) async throws {
            // The client's half reads `open`, attaches and hands the attachment to the
            // terminal's half; the first half to finish ends the call: the terminal's
            // events ended (another client, exit, delete) or the client stopped sending.
            let (attached, handoff) = AsyncStream.makeStream(of: TerminalHost.Attachment.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    defer { handoff.finish() }
                    var incoming = requests.makeAsyncIterator()
                    guard case .open(let open) = try await incoming.next()?.kind else {
                        throw RPCError(.invalidArgument, "the first message of AttachTerminal must be `open`")
                    }
                    let attachment = try serving { () throws(SessionError) in
                        try terminals.attach(
                            try APIFieldRules.required(open.name, field: "open.name"),
                            size: open.windowSize.map(PseudoTerminalSize.init))
                    }
                    defer { terminals.detach(attachment) }
                    handoff.yield(attachment)
                    try await AttachmentStream.receive(&incoming, for: attachment, terminals: terminals)
                }
                group.addTask {
                    for await attachment in attached {
                        try await AttachmentStream.send(attachment, to: writer, terminals: terminals)
                        return
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }

        func listActivities(
            _ request: AgentV1ListActivitiesRequest, context: ServerContext
        ) async throws -> AgentV1ListActivitiesResponse {
            let own = terminals.list().filter { $0.exit == nil }.map { terminal in
                SessionActivity(
                    kind: .terminal, id: terminal.name, name: terminal.name, startedAt: terminal.createdAt,
                    lastActivityAt: terminal.lastActivityAt, state: "running")
            }
            let served = await jupyter?.activities() ?? []
            return AgentV1ListActivitiesResponse(activities: (own + served).map(AgentV1Activity.init))
        }

        func shutdownActivity(
            _ request: AgentV1ShutdownActivityRequest, context: ServerContext
        ) async throws -> AgentV1ShutdownActivityResponse {
            let id = try serving { () throws(SessionError) in try APIFieldRules.required(request.id, field: "id") }
            switch request.kind {
            case .terminal:
                try serving { () throws(SessionError) in try terminals.delete(id) }
            case .notebookKernel, .jupyterTerminal:
                guard let jupyter else {
                    throw RPCError(.notFound, "the session's IDE is not a Jupyter server; it has no kernels or terminals")
                }
                do {
                    try await jupyter.shutdown(request.kind == .notebookKernel ? .notebookKernel : .jupyterTerminal, id: id)
                } catch {
                    throw error.rpcError
                }
            case .unspecified, .unrecognized:
                throw RPCError(.invalidArgument, "kind must be TERMINAL, NOTEBOOK_KERNEL or JUPYTER_TERMINAL")
            }
            return AgentV1ShutdownActivityResponse()
        }

        /// Runs `body`, turning a ``SessionError`` into the call's status.
        private func serving<Result>(_ body: () throws(SessionError) -> Result) throws -> Result {
            do {
                return try body()
            } catch {
                throw error.rpcError
            }
        }
    }
}
