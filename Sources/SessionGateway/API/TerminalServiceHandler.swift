public import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// `sessiongw.v1.TerminalService`: a running session's named terminals, forwarded to
/// the session's agent (``SessionAgents``). Each call is authorized in the session's
/// workspace first (``AccessPolicy``: attaching runs code as the session, so every call
/// needs `connect`); the agent answers with the terminals' state, and its refusals
/// (an unknown terminal, a name in use) reach the caller as they are.
public struct TerminalServiceHandler: RPCService {
    let agents: SessionAgents
    let access: AccessControl

    /// Creates the service.
    init(agents: SessionAgents, access: AccessControl) {
        self.agents = agents
        self.access = access
    }

    public func registerMethods(with router: inout RPCRouter) {
        let agents = agents
        router.unary(TerminalServiceMethods.createTerminal, access: access, target: { "\($0.sessionID)/\($0.name)" }) {
            (request: V1CreateTerminalRequest, grant) throws(SessionError) in
            let agent = try await agents.client(for: try SessionID(validating: request.sessionID), in: grant.workspace)
            let response = try await SessionAgents.forwarding {
                try await agent.createTerminal(
                    AgentV1CreateTerminalRequest(
                        name: request.name, command: request.command, workingDirectory: request.workingDirectory),
                    options: .init(timeout: SessionAgents.callTimeout))
            }
            return try V1Terminal(agent: response.terminal ?? .init())
        }
        router.unary(TerminalServiceMethods.listTerminals, access: access) {
            (request: V1ListTerminalsRequest, grant) throws(SessionError) in
            let agent = try await agents.client(for: try SessionID(validating: request.sessionID), in: grant.workspace)
            let response = try await SessionAgents.forwarding {
                try await agent.listTerminals(AgentV1ListTerminalsRequest(), options: .init(timeout: SessionAgents.callTimeout))
            }
            var terminals: [V1Terminal] = []
            for terminal in response.terminals { terminals.append(try V1Terminal(agent: terminal)) }
            return V1ListTerminalsResponse(terminals: terminals)
        }
        router.unary(TerminalServiceMethods.deleteTerminal, access: access, target: { "\($0.sessionID)/\($0.name)" }) {
            (request: V1DeleteTerminalRequest, grant) throws(SessionError) in
            let agent = try await agents.client(for: try SessionID(validating: request.sessionID), in: grant.workspace)
            _ = try await SessionAgents.forwarding {
                try await agent.deleteTerminal(
                    AgentV1DeleteTerminalRequest(name: request.name), options: .init(timeout: SessionAgents.callTimeout))
            }
            return V1DeleteTerminalResponse()
        }
        let access = access
        router.bidirectional(TerminalServiceMethods.attachTerminal) {
            (requests: ServerRequestStream<V1AttachTerminalRequest>, writer: ServerResponseWriter<V1AttachTerminalResponse>, context) in
            var incoming = requests.makeAsyncIterator()
            guard case .open(let open) = try await incoming.next()?.kind else {
                throw RPCError(.invalidArgument, "the first message of AttachTerminal must be `open`")
            }
            let grant: AccessGrant
            let agent: AgentServiceClient
            do throws(SessionError) {
                grant = try await access.authorize(context, workspace: open.workspace)
                agent = try await agents.client(for: try SessionID(validating: open.sessionID), in: grant.workspace)
            } catch {
                throw error.rpcError
            }
            try await access.whileAuthorized(grant) {
                try await Self.attach(open, requests: requests, writer: writer, agent: agent)
            }
        }
    }

    /// Forwards an attachment both ways until either side ends it: the client's input,
    /// window sizes and signals to the agent, and the terminal's output to the client.
    private static func attach(
        _ open: V1AttachTerminalRequest.Open, requests: ServerRequestStream<V1AttachTerminalRequest>,
        writer: ServerResponseWriter<V1AttachTerminalResponse>, agent: AgentServiceClient
    ) async throws {
        do {
            try await agent.attachTerminal { toAgent, fromAgent in
                try await toAgent.write(AgentV1AttachTerminalRequest(
                    kind: .open(.init(name: open.name, windowSize: open.windowSize.map(AgentV1WindowSize.init)))))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await request in requests {
                            switch request.kind {
                            case .input(let bytes): try await toAgent.write(.init(kind: .input(bytes)))
                            case .windowSize(let size): try await toAgent.write(.init(kind: .windowSize(.init(size))))
                            case .signal(let signal): try await toAgent.write(.init(kind: .signal(.init(signal))))
                            case .open: throw RPCError(.invalidArgument, "`open` may only be the first message of AttachTerminal")
                            case nil: throw RPCError(.invalidArgument, "a message of AttachTerminal must set one of its kinds")
                            }
                        }
                    }
                    group.addTask {
                        for try await response in fromAgent {
                            do {
                                try await writer.write(try V1AttachTerminalResponse(agent: response))
                            } catch let error as SessionError {
                                throw error.rpcError
                            }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch let error as RPCError {
            throw SessionAgents.agentError(error).rpcError
        }
    }
}
