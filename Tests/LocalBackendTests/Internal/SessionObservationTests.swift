@testable import LocalBackend
import SessionSDK
import Testing

@Suite("Session observation")
struct SessionObservationTests {
    private static let record = SessionRecord(
        sessionID: "s1", goal: .running, home: "/h", ownsHome: true, port: 4000, token: "tok", pid: 100, pidStartTicks: 5,
        createdAt: 1000, startedAt: 1000, durationLimitSeconds: nil, mounts: [])

    private func observe(
        goal: SessionRecord.Goal = .running, pid: Int32? = 100, running: Bool, port: Bool = false, exit: Int32? = nil,
        launching: Bool = false, now: Double = 1001, limit: Double? = nil
    ) -> ProviderSessionStatus {
        var record = Self.record
        record.goal = goal
        record.pid = pid
        record.durationLimitSeconds = limit
        return SessionObservation(
            record: record, processesRunning: running, portAccepts: port, exitStatus: exit, logTail: "boom", logPath: "/log",
            launching: launching, now: now, readinessTimeout: 60
        ).status(handle: SessionHandle(rawValue: "s1"))
    }

    @Test("states follow the goal, the processes and the port")
    func states() {
        #expect(observe(goal: .paused, running: true).state == .pausing)
        #expect(observe(goal: .paused, running: false).state == .paused)
        #expect(observe(pid: nil, running: false, launching: true).state == .pending)
        #expect(observe(pid: nil, running: false).state == .failed)
        #expect(observe(running: true).state == .starting)
        #expect(observe(running: true, now: 1061).state == .failed)
        #expect(observe(running: true, port: true).state == .running)
        #expect(observe(running: false).state == .failed)
    }

    @Test("a session with packages is BUILDING while its environment builds, BUILD_FAILED when the build failed")
    func builds() {
        var record = Self.record
        record.packages = ["numpy==2.1.0"]
        func state(building: Bool = false, failure: String? = nil, goal: SessionRecord.Goal = .running) -> ProviderSessionStatus {
            record.goal = goal
            var observation = SessionObservation(
                record: record, processesRunning: building, portAccepts: false, exitStatus: failure == nil ? nil : 0,
                logTail: "", logPath: "/log", launching: false, now: 1001, readinessTimeout: 60)
            observation.building = building
            observation.buildFailure = failure
            return observation.status(handle: SessionHandle(rawValue: "s1"))
        }
        #expect(state(building: true).state == .building)
        #expect(state(building: true).reason.contains("installing 1 package"))
        #expect(state(failure: "package 'x' was not found") == ProviderSessionStatus(
            sessionID: SessionID(rawValue: "s1"), handle: SessionHandle(rawValue: "s1"), state: .buildFailed, reason: "package 'x' was not found"))
        #expect(state(failure: "x", goal: .paused).state == .paused)
    }

    @Test("only RUNNING carries the connection")
    func connection() {
        #expect(observe(running: true, port: true).connection == Session.Connection(url: "http://127.0.0.1:4000/?token=tok", accessToken: "tok"))
        #expect(observe(running: true).connection == nil)
        #expect(observe(goal: .paused, running: false).connection == nil)
    }

    @Test("failures say how the command ended and quote the log")
    func failureReasons() {
        let exited = observe(running: false, exit: 3).reason
        #expect(exited.contains("exited with code 3") && exited.contains("boom"))
        #expect(observe(running: false, exit: 137).reason.contains("killed by signal 9"))
        #expect(observe(running: false).reason.contains("processes are gone"))
    }

    @Test("time left counts from the last start")
    func timeLeft() {
        #expect(observe(running: true, port: true, now: 1010, limit: 60).timeLeft == .seconds(50))
        #expect(observe(running: true, port: true, now: 2000, limit: 60).timeLeft == .zero)
        #expect(observe(goal: .paused, running: false, limit: 60).timeLeft == nil)
    }
}
