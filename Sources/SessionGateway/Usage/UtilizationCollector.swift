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
/// (``IdleMonitor``); one whose agent does not answer is not judged.
struct UtilizationCollector: Sendable {
    let store: SessionStore
    let agents: SessionAgents
    let idle: IdleMonitor
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
                sample = UtilizationSample(message)
                try await store.recordUtilization(sample, of: session.id)
            } catch {
                logger.debug("no utilization sample", metadata: ["session.id": "\(session.id)", "error": "\(error)"])
                continue
            }
            // A session whose agent does not answer is not judged: what it does is unseen.
            await idle.look(at: session, sample: sample, agent: agent)
        }
    }
}

extension UtilizationSample {
    /// The sample of an agent's message.
    init(_ message: AgentV1UtilizationSample) {
        self.init(
            time: message.time?.secondsSince1970 ?? 0, cpuCores: message.cpuCores, memoryUsedBytes: message.memoryUsedBytes,
            memoryLimitBytes: message.memoryLimitBytes, diskUsedBytes: message.diskUsedBytes,
            diskTotalBytes: message.diskTotalBytes,
            gpus: message.gpus.map { gpu in
                UtilizationSample.GPU(
                    index: Int(gpu.index), name: gpu.name,
                    utilizationPercent: gpu.utilizationUnavailable ? nil : gpu.utilizationPercent,
                    memoryUsedBytes: gpu.memoryUsedBytes, memoryTotalBytes: gpu.memoryTotalBytes)
            })
    }
}

extension V1UtilizationSample {
    /// The public message of a sample.
    init(_ sample: UtilizationSample) {
        self.init(
            time: ProtobufTimestamp(secondsSince1970: sample.time), cpuCores: sample.cpuCores,
            memoryUsedBytes: sample.memoryUsedBytes, memoryLimitBytes: sample.memoryLimitBytes,
            diskUsedBytes: sample.diskUsedBytes, diskTotalBytes: sample.diskTotalBytes,
            gpus: sample.gpus.map { gpu in
                V1GpuSample(
                    index: Int32(clamping: gpu.index), name: gpu.name, utilizationPercent: gpu.utilizationPercent ?? 0,
                    utilizationUnavailable: gpu.utilizationPercent == nil, memoryUsedBytes: gpu.memoryUsedBytes,
                    memoryTotalBytes: gpu.memoryTotalBytes)
            })
    }
}
