internal import RPCTransport
internal import SessionAPI
internal import SessionSDK
internal import Synchronization

/// The gateway's side of the session agents: finds a running session's agent from
/// what the store knows (the address its backend reported, the token derived from its
/// id) and keeps one connection to each, reused by every call about the session.
///
/// The gateway dials the agent, through the address the backend reports (a pod IP, a
/// compute node's address, `127.0.0.1` for Local), the way it already reaches the
/// session's IDE. Nothing about an agent is kept but in the store, so a restarted
/// gateway reaches the same agents and their terminals, which kept running.
final class SessionAgents: Sendable {
    let store: SessionStore
    let tokens: AgentTokens?
    private let clients = Mutex<[SessionID: (address: String, client: RPCClient)]>([:])

    /// How long a unary call to an agent may take.
    static let callTimeout = Duration.seconds(30)

    /// The agents of the sessions in `store`; without `tokens`, sessions run no agent.
    init(store: SessionStore, tokens: AgentTokens?) {
        self.store = store
        self.tokens = tokens
    }

    /// A client of the agent of session `id`, with its token in every call.
    ///
    /// - Throws: `NOT_FOUND` for a session not in the workspace; `FAILED_PRECONDITION`
    ///   for a session that is not RUNNING or runs no agent.
    func client(for id: SessionID, in workspace: WorkspaceID) async throws(SessionError) -> AgentServiceClient {
        let session = try await store.session(id: id, workspace: workspace)
        guard session.state == .running else {
            forget(id)
            throw SessionError(
                .failedPrecondition,
                "session '\(session.name)' is \(session.state); its terminals are reachable while it is RUNNING"
                    + (session.state == .paused ? " (resume it: they come back with their scrollback)" : ""))
        }
        guard let tokens, let address = session.connection?.agentAddress,
              let target = RPCClient.Target(address: address)
        else {
            throw SessionError(
                .failedPrecondition,
                "session '\(session.name)' runs no session agent: the backend of compute environment "
                    + "'\(session.spec.computeEnvironment)' does not have the TERMINALS capability")
        }
        let (client, replaced) = clients.withLock { clients -> (RPCClient, RPCClient?) in
            if let current = clients[id], current.address == address { return (current.client, nil) }
            let client = RPCClient(target: target)
            let previous = clients.updateValue((address, client), forKey: id)
            return (client, previous?.client)
        }
        if let replaced { Task { await replaced.close() } }
        return AgentServiceClient(client: client, metadata: ["authorization": .string("Bearer \(tokens.token(for: id))")])
    }

    /// Closes the connection to a session's agent, if there is one.
    func forget(_ id: SessionID) {
        guard let client = clients.withLock({ $0.removeValue(forKey: id)?.client }) else { return }
        Task { await client.close() }
    }

    /// Closes every connection.
    func close() async {
        let all = clients.withLock { clients in
            defer { clients = [:] }
            return clients.values.map(\.client)
        }
        for client in all { await client.close() }
    }

    /// Runs a call to the agent, turning its failures into the caller's.
    static func forwarding<Result>(_ call: () async throws -> Result) async throws(SessionError) -> Result {
        do {
            return try await call()
        } catch let error as RPCError {
            throw agentError(error)
        } catch {
            throw SessionError(.internalError, "the call to the session's agent failed", cause: error)
        }
    }

    /// What the caller is told of an agent's failure: the agent's refusals of the
    /// request as they are; an agent that cannot be reached as UNAVAILABLE (retry);
    /// an agent that refuses the gateway's token as INTERNAL (the token key changed).
    static func agentError(_ error: RPCError) -> SessionError {
        switch error.code {
        case .invalidArgument, .notFound, .alreadyExists, .failedPrecondition, .resourceExhausted, .cancelled:
            SessionError(SessionError.Code(grpcStatus: error.code.rawValue) ?? .unknown, error.message)
        case .unauthenticated, .permissionDenied:
            SessionError(
                .internalError, "the session's agent refused the gateway's token (was agent-token.key replaced?)",
                cause: error)
        default:
            SessionError(.unavailable, "the session's agent does not answer (\(error.code)); retry", cause: error)
        }
    }
}
