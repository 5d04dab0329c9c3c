import RPCTransport
import SessionAPI
import Testing
@testable import sessiongw

@Suite struct ViewTests {
    let session = V1Session(
        id: "s-1", name: "demo",
        spec: V1SessionSpec(preset: "notebook", image: "python3", podSize: ""),
        state: .starting, stateReason: "waiting", createTime: ProtobufTimestamp(seconds: 100))

    @Test func sessionTableRow() {
        #expect(SessionView.row(session, now: 220) == ["demo", "s-1", "STARTING", "notebook", "python3", "default", "2m", "-", "-", ""])
        var custom = session.spec!
        custom.resources = V1Resources(cpuMillis: 1000, memoryBytes: 1 << 30)
        #expect(SessionView.size(custom) == "1 CPU / 1 GiB")
    }

    @Test func costLineAndRate() {
        var priced = session
        priced.cost = V1SessionCost(
            currency: "USD", hourlyRate: 0.0125, runningHourlyRate: 2.5, accumulated: 3.4, computeHeld: ProtobufDuration(seconds: 7500))
        #expect(SessionView.row(priced, now: 220)[8] == "0.0125 USD/h")
        #expect(SessionView.cost(priced.cost!) == "3.40 USD so far; 2.50 USD/h while running, 0.0125 USD/h now; compute held 2h5m")
        priced.cost = V1SessionCost(computeHeld: nil)
        #expect(SessionView.cost(priced.cost!) == "no prices for its environment; compute held 0s")
        #expect(SessionView.row(priced, now: 220)[8] == "-")
    }

    @Test func utilizationLines() {
        let sample = V1UtilizationSample(
            time: ProtobufTimestamp(seconds: 200), cpuCores: 1.5, memoryUsedBytes: 2 << 30, memoryLimitBytes: 8 << 30,
            diskUsedBytes: 3 << 30, diskTotalBytes: 30 << 30,
            gpus: [
                V1GpuSample(index: 0, name: "NVIDIA H100 80GB HBM3", utilizationPercent: 35, memoryUsedBytes: 19 << 30, memoryTotalBytes: 80 << 30),
                V1GpuSample(index: 1, name: "NVIDIA H100 80GB HBM3", utilizationUnavailable: true, memoryUsedBytes: 0, memoryTotalBytes: 80 << 30),
            ])
        #expect(SessionView.utilization(sample, now: 212) == [
            "CPU 1.5 cores, memory 2 GiB of 8 GiB, disk 3 GiB of 30 GiB (12s ago)",
            "GPU 0 NVIDIA H100 80GB HBM3: 35%, 19 GiB of 80 GiB",
            "GPU 1 NVIDIA H100 80GB HBM3: utilization not reported, 0 B of 80 GiB",
        ])
        #expect(SessionView.utilization(V1UtilizationSample(cpuCores: 0), now: 0).last == "no GPU")
    }

    @Test func idleBadgeAndLines() {
        var running = session
        running.idle = V1IdleStatus(
            idle: true, quietSince: ProtobufTimestamp(seconds: 1000), lastActiveSignal: "terminal",
            signals: [
                V1IdleSignal(name: "cpu", lastActiveTime: ProtobufTimestamp(seconds: 400)),
                V1IdleSignal(name: "terminal", lastActiveTime: ProtobufTimestamp(seconds: 1000)),
            ],
            idleTime: ProtobufTimestamp(seconds: 4600), cullTime: ProtobufTimestamp(seconds: 8200))
        #expect(SessionView.row(running, now: 8000)[7] == "idle 1h")
        #expect(SessionView.idle(running.idle!, now: 8000) == [
            "idle for 1h (quiet since 1970-01-01T00:16:40Z); paused at 1970-01-01T02:16:40Z by the culling policy",
            "cpu  last active 2h ago",
            "terminal  last active 1h ago",
        ])
        running.idle?.idle = false
        running.idle?.cullTime = nil
        #expect(SessionView.row(running, now: 1030)[7] == "active: terminal")
        #expect(SessionView.idle(running.idle!, now: 1030).first
            == "active: terminal 30s ago; idle at 1970-01-01T01:16:40Z if nothing happens")
    }

    @Test func usageReportTables() {
        let line = V1UsageLine(
            owner: "ada", sessionID: "s-1", sessionName: "demo", currency: "EUR", computeSpend: 1.5, storageSpend: 0.25, total: 1.75,
            computeHeld: ProtobufDuration(seconds: 3600))
        let total = V1UsageLine(currency: "EUR", computeSpend: 1.5, storageSpend: 0.25, total: 1.75)
        #expect(UsageView.table([line, total]).rows == [
            ["ada", "demo", "s-1", "1.50 EUR", "0.25 EUR", "1.75 EUR", "1h"], ["-", "-", "-", "1.50 EUR", "0.25 EUR", "1.75 EUR", "0s"],
        ])
        let empty = V1GetUsageReportResponse(startTime: ProtobufTimestamp(seconds: 0), endTime: ProtobufTimestamp(seconds: 86400))
        #expect(UsageView.report(empty).hasSuffix(": no session held anything.\n"))
    }

    @Test func detailNeverShowsSecretValues() {
        var withSecret = session
        withSecret.spec?.env = [V1EnvVar(name: "KEY", source: .secretRef("api-key"))]
        #expect(SessionView.detail(withSecret, now: 100).rendered().contains("KEY from secret api-key"))
    }

    @Test func presetMarksRecommendedImageAndDefaultSize() {
        let preset = V1Preset(
            id: "p", images: [
                V1PresetImage(name: "new", tag: .recommended), V1PresetImage(name: "old", tag: .deprecated),
            ],
            podSizes: [V1PodSize(name: "small"), V1PodSize(name: "large")], defaultPodSize: "large")
        #expect(PresetView.table([preset]).rows == [["p", "", "UNSPECIFIED", "new*, old (deprecated)", "small, large*", ""]])
    }

    @Test func progressAndWatchLines() {
        #expect(ProgressView.line(session, elapsed: .milliseconds(1200)) == "[  1.2s] demo  STARTING: waiting")
        let event = V1WatchSessionsResponse(type: .modified, session: session, revision: 9)
        #expect(WatchView.line(event) == "MODIFIED      9         demo                    s-1                 STARTING      waiting")
        #expect(WatchView.header.hasPrefix("TYPE          REVISION  NAME"))
        let deleted = V1WatchSessionsResponse(type: .deleted, session: V1Session(id: "s-1"), revision: 10)
        #expect(WatchView.line(deleted) == "DELETED       10        -                       s-1                 -")
    }

    @Test func eventTableShowsTransitions() {
        let event = V1SessionEvent(time: ProtobufTimestamp(seconds: 1), type: .stateChanged, message: "m", fromState: .pending, toState: .running)
        #expect(SessionEventView.table([event]).rows == [["1970-01-01T00:00:01Z", "STATE_CHANGED", "PENDING -> RUNNING", "", "m"]])
    }
}
