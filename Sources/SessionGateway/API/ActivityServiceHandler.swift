public import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// `sessiongw.v1.ActivityService`: the session panel. What is active on a running
/// session's compute (its terminals, its JupyterLab's kernels and terminals), asked of
/// the session's agent (``SessionAgents``), with a warning when more than
/// ``warningThreshold`` are active; and shutting one of them down.
public struct ActivityServiceHandler: RPCService {
    let agents: SessionAgents
    let access: AccessControl

    /// More active activities than this get a warning on the list.
    static let warningThreshold = 6

    init(agents: SessionAgents, access: AccessControl) {
        self.agents = agents
        self.access = access
    }

    public func registerMethods(with router: inout RPCRouter) {
        let agents = agents
        router.unary(ActivityServiceMethods.listSessionActivities, access: access) {
            (request: V1ListSessionActivitiesRequest, grant) throws(SessionError) in
            let agent = try await agents.client(for: try SessionID(validating: request.sessionID), in: grant.workspace)
            let response = try await SessionAgents.forwarding {
                try await agent.listActivities(AgentV1ListActivitiesRequest(), options: .init(timeout: SessionAgents.callTimeout))
            }
            var activities: [V1Activity] = []
            for activity in response.activities { activities.append(try V1Activity(agent: activity)) }
            return V1ListSessionActivitiesResponse(activities: activities, warning: Self.warning(count: activities.count))
        }
        router.unary(
            ActivityServiceMethods.shutdownActivity, access: access, target: { "\($0.sessionID)/\($0.kind.protoName ?? "")/\($0.id)" }
        ) { (request: V1ShutdownActivityRequest, grant) throws(SessionError) in
            guard request.kind != .unspecified else {
                throw SessionError(.invalidArgument, "kind must be TERMINAL, NOTEBOOK_KERNEL or JUPYTER_TERMINAL")
            }
            let agent = try await agents.client(for: try SessionID(validating: request.sessionID), in: grant.workspace)
            _ = try await SessionAgents.forwarding {
                try await agent.shutdownActivity(
                    AgentV1ShutdownActivityRequest(kind: .init(request.kind), id: request.id),
                    options: .init(timeout: SessionAgents.callTimeout))
            }
            return V1ShutdownActivityResponse()
        }
    }

    /// The warning for `count` active activities; empty up to ``warningThreshold``.
    static func warning(count: Int) -> String {
        guard count > warningThreshold else { return "" }
        return "\(count) activities are active on this session's compute (more than \(warningThreshold)); each holds "
            + "memory and CPU, so shut down the kernels and terminals you no longer need"
    }
}
