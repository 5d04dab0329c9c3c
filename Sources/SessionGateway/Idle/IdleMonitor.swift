internal import Foundation
internal import Logging
internal import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// Looks at running sessions for idleness each time their utilization is collected
/// (``UtilizationCollector``): moves each session's stored marks forward with what its
/// agent and the connection proxy show (``IdleTracker``), and pauses the sessions their
/// policy culls, saying in the activity log which signals were quiet and since when.
struct IdleMonitor: Sendable {
    let store: SessionStore
    let controller: SessionController
    let configuration: GatewayConfiguration
    /// The users connected through the proxy; nil when it is off.
    let users: ConnectedUsers?
    let logger: Logger

    /// One look at a running session with an agent, whose latest sample is `sample`.
    func look(at session: Session, sample: UtilizationSample, agent: AgentServiceClient, now: Double = SessionStore.now()) async {
        do throws(SessionError) {
            let policy = configuration.idlePolicy(for: session)
            let hasGPU = Self.hasGPU(sample)
            let judged = policy.signals ?? IdleSignal.defaults(hasGPU: hasGPU)
            var observation = IdleObservation(
                time: now, sample: sample, connectionsActiveAt: users?.lastSeen(workspace: session.workspace, session: session.id))
            if !judged.isDisjoint(with: [.ide, .terminal]) {
                (observation.ideActiveAt, observation.terminalActiveAt) = try await activity(of: agent, now: now)
            }
            let stored = try await store.idleMarks(of: session.id) ?? [:]
            let marks = IdleTracker.marks(stored, trackingSince: session.updatedAt, after: observation, policy: policy)
            guard try await store.recordIdleMarks(marks, of: session.id) else { return }
            let status = IdleTracker.status(marks: marks, policy: policy, hasGPU: hasGPU, now: now)
            guard status.culls(at: now) else { return }
            logger.info("pausing an idle session", metadata: [
                "session.id": "\(session.id)", "quiet.since": "\(status.quietSince)",
            ])
            _ = try await controller.cullIdleSession(
                workspace: session.workspace, id: session.id, report: Self.report(status, policy: policy, now: now))
        } catch {
            logger.debug("idle look failed", metadata: ["session.id": "\(session.id)", "error": "\(error.message)"])
        }
    }

    /// Whether a sample shows a GPU that reports its utilization.
    static func hasGPU(_ sample: UtilizationSample?) -> Bool {
        sample?.gpus.contains { $0.utilizationPercent != nil } ?? false
    }

    /// When the IDE and the terminals last showed activity, from the agent's panel: a
    /// busy kernel is active now.
    private func activity(of agent: AgentServiceClient, now: Double) async throws(SessionError) -> (ide: Double?, terminal: Double?) {
        let response = try await SessionAgents.forwarding {
            try await agent.listActivities(AgentV1ListActivitiesRequest(), options: .init(timeout: SessionAgents.callTimeout))
        }
        var ide: Double?
        var terminal: Double?
        for activity in response.activities {
            var time = activity.lastActivityTime?.secondsSince1970
            if activity.kind == .notebookKernel, activity.state == "busy" { time = now }
            guard let time else { continue }
            if activity.kind == .terminal {
                terminal = max(terminal ?? time, time)
            } else {
                ide = max(ide ?? time, time)
            }
        }
        return (ide, terminal)
    }

    /// What the activity log says when a session is culled: how long it was quiet, and
    /// each signal with its last activity.
    static func report(_ status: IdleStatus, policy: IdlePolicy, now: Double) -> String {
        let signals = status.signals.sorted { $0.key < $1.key }.map { signal, time in
            "\(signal.rawValue) quiet since \(timestamp(time))"
        }
        return "paused after \(duration(now - status.quietSince)) idle (the culling policy allows "
            + "\(duration(policy.cullAfter ?? 0))): \(signals.joined(separator: ", ")); "
            + "the last activity was \(status.lastActiveSignal.rawValue)"
    }

    private static func timestamp(_ seconds: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds))
    }

    /// `2h 5m`, `5m 3s`, `42s`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded())
        let (hours, minutes, rest) = (total / 3600, total % 3600 / 60, total % 60)
        if hours > 0 { return "\(hours)h \(minutes)m" }
        return minutes > 0 ? "\(minutes)m \(rest)s" : "\(rest)s"
    }
}
