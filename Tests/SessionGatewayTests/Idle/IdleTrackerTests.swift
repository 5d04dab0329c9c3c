@testable import SessionGateway
import SessionSDK
import Testing

@Suite("IdleTracker: when a running session is idle, and what kept it busy")
struct IdleTrackerTests {
    static let policy = IdlePolicy(after: 3600, cullAfter: 7200)

    static func sample(at time: Double, cpu: Double = 0, gpu: [Double?] = []) -> UtilizationSample {
        UtilizationSample(
            time: time, cpuCores: cpu, memoryUsedBytes: 0, memoryLimitBytes: 0, diskUsedBytes: 0, diskTotalBytes: 0,
            gpus: gpu.enumerated().map { index, percent in
                UtilizationSample.GPU(index: index, name: "NVIDIA H100 80GB HBM3", utilizationPercent: percent, memoryUsedBytes: 0, memoryTotalBytes: 1)
            })
    }

    @Test("a session that does nothing becomes idle an hour after it began running, judged by every signal but gpu")
    func quietSession() {
        var marks: [IdleSignal: Double] = [:]
        for time in stride(from: 1000.0, through: 4600, by: 60) {
            marks = IdleTracker.marks(
                marks, trackingSince: 1000, after: IdleObservation(time: time, sample: Self.sample(at: time, cpu: 0.02)),
                policy: Self.policy)
        }
        let before = IdleTracker.status(marks: marks, policy: Self.policy, hasGPU: false, now: 4599)
        #expect(!before.idle && before.idleAt == 4600 && before.cullAt == 8200)
        let status = IdleTracker.status(marks: marks, policy: Self.policy, hasGPU: false, now: 4600)
        #expect(status.idle && status.quietSince == 1000)
        #expect(Set(status.signals.keys) == [.cpu, .connections, .ide, .terminal])
        #expect(!status.culls(at: 8199) && status.culls(at: 8200))
    }

    @Test("a CPU at the threshold keeps it busy; below, it does not", arguments: [(0.1, true), (0.09, false)])
    func cpuThreshold(cores: Double, busy: Bool) {
        let marks = IdleTracker.marks(
            [:], trackingSince: 0, after: IdleObservation(time: 5000, sample: Self.sample(at: 4990, cpu: cores)), policy: Self.policy)
        let status = IdleTracker.status(marks: marks, policy: Self.policy, hasGPU: false, now: 5000)
        #expect(status.idle == !busy)
        #expect(status.quietSince == (busy ? 4990 : 0))
    }

    @Test("each signal resets idleness and is named as what last kept the session busy", arguments: [
        (IdleObservation(time: 5000, connectionsActiveAt: 4900), IdleSignal.connections),
        (IdleObservation(time: 5000, ideActiveAt: 4900), .ide),
        (IdleObservation(time: 5000, terminalActiveAt: 4900), .terminal),
    ])
    func signalResets(observation: IdleObservation, signal: IdleSignal) {
        let idle = IdleTracker.marks([:], trackingSince: 0, after: IdleObservation(time: 4000), policy: Self.policy)
        #expect(IdleTracker.status(marks: idle, policy: Self.policy, hasGPU: false, now: 4000).idle)
        let marks = IdleTracker.marks(idle, trackingSince: 0, after: observation, policy: Self.policy)
        let status = IdleTracker.status(marks: marks, policy: Self.policy, hasGPU: false, now: 5000)
        #expect(!status.idle && status.lastActiveSignal == signal && status.quietSince == 4900 && status.signals[signal] == 4900)
    }

    @Test("a GPU session is judged by its GPUs alone: busy CPUs and a typing user do not keep an idle GPU alive")
    func gpuSession() {
        var marks = IdleTracker.marks(
            [:], trackingSince: 0,
            after: IdleObservation(time: 4000, sample: Self.sample(at: 4000, cpu: 8, gpu: [3, 4.9]), terminalActiveAt: 3990),
            policy: Self.policy)
        var status = IdleTracker.status(marks: marks, policy: Self.policy, hasGPU: true, now: 4000)
        #expect(status.idle && Set(status.signals.keys) == [.gpu] && status.quietSince == 0)
        marks = IdleTracker.marks(
            marks, trackingSince: 0, after: IdleObservation(time: 4100, sample: Self.sample(at: 4100, gpu: [nil, 5])), policy: Self.policy)
        status = IdleTracker.status(marks: marks, policy: Self.policy, hasGPU: true, now: 4100)
        #expect(!status.idle && status.lastActiveSignal == .gpu && status.quietSince == 4100)
    }

    @Test("marks never move back, nor past the look (a session's clock may run ahead)")
    func marksOnlyMoveForward() {
        var marks = IdleTracker.marks(
            [:], trackingSince: 100, after: IdleObservation(time: 1000, terminalActiveAt: 900), policy: Self.policy)
        marks = IdleTracker.marks(marks, trackingSince: 100, after: IdleObservation(time: 1100, terminalActiveAt: 500), policy: Self.policy)
        #expect(marks[.terminal] == 900 && marks[.cpu] == 100)
        marks = IdleTracker.marks(marks, trackingSince: 100, after: IdleObservation(time: 1200, ideActiveAt: 99_999), policy: Self.policy)
        #expect(marks[.ide] == 1200)
    }

    @Test("the policy's signals replace the defaults; overrides change only what they set")
    func policySignals() {
        let policy = Self.policy.overridden(by: .init(signals: [.terminal]))
        #expect(policy.after == 3600 && policy.cullAfter == 7200)
        let marks = IdleTracker.marks(
            [:], trackingSince: 0, after: IdleObservation(time: 4000, sample: Self.sample(at: 4000, cpu: 4)), policy: policy)
        let status = IdleTracker.status(marks: marks, policy: policy, hasGPU: false, now: 4000)
        #expect(status.idle && Set(status.signals.keys) == [.terminal], "CPU is not among its signals")
        #expect(Self.policy.overridden(by: .init(cullAfter: .some(nil))).cullAfter == nil)
    }

    @Test("the activity log's report names every quiet signal, since when, and the last activity")
    func report() {
        let status = IdleTracker.status(marks: [.cpu: 0, .connections: 60, .ide: 0, .terminal: 120], policy: Self.policy, hasGPU: false, now: 7320)
        #expect(IdleMonitor.report(status, policy: Self.policy, now: 7320) == """
            paused after 2h 0m idle (the culling policy allows 2h 0m): cpu quiet since 1970-01-01T00:00:00Z, \
            connections quiet since 1970-01-01T00:01:00Z, ide quiet since 1970-01-01T00:00:00Z, \
            terminal quiet since 1970-01-01T00:02:00Z; the last activity was terminal
            """)
    }
}
