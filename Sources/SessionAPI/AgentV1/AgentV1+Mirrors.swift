internal import RPCTransport
public import SessionSDK

// The public API's terminal messages and the agent API's have the same field numbers
// (`terminal_service.proto`, `agent.proto`), so the gateway forwards the agent's
// answers by reading one as the other (`WireMirror`); `WireMirrorTests` keeps the
// pairs in step.

extension V1Terminal {
    /// The public form of a terminal the agent reported.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the agent's answer does not read as one.
    public init(agent terminal: AgentV1Terminal) throws(SessionError) {
        try self.init(mirroring: terminal, field: "terminal")
    }
}

extension V1AttachTerminalResponse {
    /// The public form of what the agent sent an attached client.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the agent's answer does not read as one.
    public init(agent response: AgentV1AttachTerminalResponse) throws(SessionError) {
        try self.init(mirroring: response, field: "response")
    }
}

extension AgentV1WindowSize {
    /// The agent's form of a client's window size.
    public init(_ size: V1WindowSize) {
        self.init(rows: size.rows, columns: size.columns)
    }
}

extension AgentV1TerminalSignal {
    /// The agent's form of a signal a client sent.
    public init(_ signal: V1TerminalSignal) {
        self = AgentV1TerminalSignal(rawValue: signal.rawValue) ?? .unspecified
    }
}

extension V1Activity {
    /// The public form of an activity the agent reported.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the agent's answer does not read as one.
    public init(agent activity: AgentV1Activity) throws(SessionError) {
        try self.init(mirroring: activity, field: "activity")
    }
}

extension AgentV1ActivityKind {
    /// The agent's form of an activity kind a caller sent.
    public init(_ kind: V1ActivityKind) {
        self = AgentV1ActivityKind(rawValue: kind.rawValue) ?? .unspecified
    }
}

extension AgentV1UtilizationSample {
    /// The agent's message of a sample; a GPU without a utilization figure says so
    /// (`utilization_unavailable`) rather than reporting zero.
    public init(_ sample: UtilizationSample) {
        self.init(
            time: ProtobufTimestamp(secondsSince1970: sample.time), cpuCores: sample.cpuCores,
            memoryUsedBytes: sample.memoryUsedBytes, memoryLimitBytes: sample.memoryLimitBytes,
            diskUsedBytes: sample.diskUsedBytes, diskTotalBytes: sample.diskTotalBytes,
            gpus: sample.gpus.map { gpu in
                AgentV1GpuSample(
                    index: Int32(clamping: gpu.index), name: gpu.name, utilizationPercent: gpu.utilizationPercent ?? 0,
                    utilizationUnavailable: gpu.utilizationPercent == nil, memoryUsedBytes: gpu.memoryUsedBytes,
                    memoryTotalBytes: gpu.memoryTotalBytes)
            })
    }
}

extension UtilizationSample {
    /// The sample of an agent's message.
    public init(agent message: AgentV1UtilizationSample) {
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
    /// The public message of a sample: the agent's message read as its mirror.
    ///
    /// - Throws: `INVALID_ARGUMENT` when it does not read as one (a GPU name holding a NUL).
    public init(_ sample: UtilizationSample) throws(SessionError) {
        try self.init(mirroring: AgentV1UtilizationSample(sample), field: "utilization")
    }
}
