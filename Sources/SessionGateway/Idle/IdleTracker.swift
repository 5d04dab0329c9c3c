public import SessionSDK

/// The pure rules of idleness. The gateway keeps, per running session, when each
/// ``IdleSignal`` last showed activity (its *marks*, stored and so kept across
/// restarts, reset when the session stops running); every look at the session
/// (``IdleObservation``) moves marks forward, never back, and never past the look's
/// own time (a session's clock may run ahead of the gateway's).
public enum IdleTracker {
    /// The marks after `observation`. A signal without a mark yet starts at
    /// `trackingSince`, when the session began running: a session is never quiet for
    /// longer than it has run.
    public static func marks(
        _ marks: [IdleSignal: Double], trackingSince: Double, after observation: IdleObservation, policy: IdlePolicy
    ) -> [IdleSignal: Double] {
        let now = observation.time
        var updated: [IdleSignal: Double] = [:]
        for signal in IdleSignal.allCases {
            updated[signal] = min(marks[signal] ?? trackingSince, now)
        }
        func saw(_ signal: IdleSignal, at time: Double?) {
            guard let time else { return }
            updated[signal] = max(updated[signal]!, min(time, now))
        }
        if let sample = observation.sample {
            if sample.cpuCores >= policy.cpuThreshold { saw(.cpu, at: sample.time) }
            if sample.gpus.contains(where: { ($0.utilizationPercent ?? 0) >= policy.gpuThreshold }) {
                saw(.gpu, at: sample.time)
            }
        }
        saw(.connections, at: observation.connectionsActiveAt)
        saw(.ide, at: observation.ideActiveAt)
        saw(.terminal, at: observation.terminalActiveAt)
        return updated
    }

    /// Whether a session with these marks is idle at `now` under `policy`. `hasGPU`,
    /// whether its agent reports a GPU's utilization, picks the default signals.
    public static func status(
        marks: [IdleSignal: Double], policy: IdlePolicy, hasGPU: Bool, now: Double
    ) -> IdleStatus {
        let judged = (policy.signals ?? IdleSignal.defaults(hasGPU: hasGPU)).sorted()
        var signals: [IdleSignal: Double] = [:]
        for signal in judged { signals[signal] = marks[signal] ?? now }
        var last = judged.first ?? .cpu
        for signal in judged where signals[signal]! > signals[last]! { last = signal }
        let quietSince = signals[last] ?? now
        return IdleStatus(
            idle: now - quietSince >= policy.after, quietSince: quietSince, lastActiveSignal: last, signals: signals,
            idleAt: quietSince + policy.after, cullAt: policy.cullAfter.map { quietSince + $0 })
    }
}
