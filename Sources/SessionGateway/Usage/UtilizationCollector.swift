internal import Logging
internal import RPCTransport
internal import SessionAPI
internal import SessionSDK
internal import ServiceLifecycle

/// Collects the latest utilization sample of every running session from its agent
/// (`AgentService.GetUtilization`) into the store, every `interval`: the history
/// `GetSessionUtilization` serves and the latest sample on each session. A session
/// whose agent does not answer is skipped until the next round (its history has a
/// gap, not a zero). Each session sampled is then looked at for idleness
/// (``IdleMonitor``) and for a home that is filling
/// (``SessionController/growHomeIfFilling(_:sample:)``); one whose agent does not
/// answer is not judged.
struct UtilizationCollector: Sendable {
    let store: SessionStore
    let agents: SessionAgents
    let idle: IdleMonitor
    let controller: SessionController
    let interval: Duration
    let logger: Logger

    /// Runs until cancelled or a graceful shutdown.
    func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await collect()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One round: every running session with an agent.
    func collect() async {
        guard let sessions = try? await store.sessions(inStates: [.running]) else { return }
        for session in sessions where session.connection?.agentAddress != nil {
            guard let agent = try? await agents.client(for: session.id, in: session.workspace) else { continue }
            let sample: UtilizationSample
            do {
                let response = try await agent.getUtilization(
                    AgentV1GetUtilizationRequest(), options: .init(timeout: SessionAgents.callTimeout))
                guard let message = response.sample else { continue }
                sample = controller.sizedSample(UtilizationSample(agent: message), of: session)
                try await store.recordUtilization(sample, of: session.id)
            } catch {
                logger.debug("no utilization sample", metadata: ["session.id": "\(session.id)", "error": "\(error)"])
                continue
            }
            // A session whose agent does not answer is not judged: what it does is unseen.
            await idle.look(at: session, sample: sample, agent: agent)
            await controller.growHomeIfFilling(session, sample: sample)
        }
    }
}
