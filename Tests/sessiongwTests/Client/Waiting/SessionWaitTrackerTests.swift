import SessionAPI
import Testing
@testable import sessiongw

@Suite struct SessionWaitTrackerTests {
    func session(_ state: V1SessionState, _ reason: String = "") -> V1Session {
        V1Session(id: "s-1", name: "demo", state: state, stateReason: reason)
    }

    @Test func runningGoalPassesThroughStartingStates() {
        var tracker = SessionWaitTracker(goal: .running)
        #expect(tracker.observe(session(.pending)) == (true, .waiting))
        #expect(tracker.observe(session(.pending)) == (false, .waiting))
        #expect(tracker.observe(session(.pending, "pulling")) == (true, .waiting))
        #expect(tracker.observe(session(.starting)) == (true, .waiting))
        #expect(tracker.observe(session(.running)) == (true, .reached))
    }

    @Test(arguments: [V1SessionState.failed, .buildFailed, .deleting])
    func runningGoalFailsOn(state: V1SessionState) {
        var tracker = SessionWaitTracker(goal: .running)
        _ = tracker.observe(session(.pending))
        guard case .failed = tracker.observe(session(state, "why")).verdict else {
            Issue.record("\(state) should fail the wait")
            return
        }
    }

    @Test func pausedBeforeRunningFailsOnlyAfterAnotherState() {
        var fresh = SessionWaitTracker(goal: .running)
        #expect(fresh.observe(session(.paused)).verdict == .waiting)
        var started = SessionWaitTracker(goal: .running)
        _ = started.observe(session(.pending))
        #expect(started.observe(session(.paused)).verdict == .failed("it was paused before it was RUNNING"))
    }

    @Test func pausedGoal() {
        var tracker = SessionWaitTracker(goal: .paused)
        #expect(tracker.observe(session(.pausing)).verdict == .waiting)
        #expect(tracker.observe(session(.paused)).verdict == .reached)
        var failing = SessionWaitTracker(goal: .paused)
        #expect(failing.observe(session(.failed, "x")).verdict == .failed("it is FAILED: x"))
    }

    @Test func deletion() {
        #expect(SessionWaitTracker(goal: .deleted).observeDeletion() == .reached)
        #expect(SessionWaitTracker(goal: .running).observeDeletion() == .failed("it was deleted"))
        var tracker = SessionWaitTracker(goal: .deleted)
        #expect(tracker.observe(session(.deleting)).verdict == .waiting)
    }

    @Test func remembersTheLastStateForTimeoutMessages() {
        var tracker = SessionWaitTracker(goal: .running)
        _ = tracker.observe(session(.starting, "listening"))
        #expect(tracker.lastState == .starting && tracker.lastReason == "listening")
    }
}
