import SessionAPI

/// Judges each state a session is seen in while `--wait` waits for it: a pure value
/// type, fed every observation in order by ``SessionWaiter``.
///
/// ```swift
/// var tracker = SessionWaitTracker(goal: .running)
/// tracker.observe(created)   // (changed: true, verdict: .waiting) for PENDING
/// tracker.observe(running)   // (changed: true, verdict: .reached)
/// ```
struct SessionWaitTracker: Sendable {
    /// What the wait is for.
    enum Goal: Sendable, Equatable, CustomStringConvertible {
        /// RUNNING, after create, clone or resume. FAILED, BUILD_FAILED, DELETING, a
        /// deletion, or PAUSED after another state fail the wait.
        case running
        /// PAUSED, after pause. FAILED, BUILD_FAILED, DELETING or a deletion fail it.
        case paused
        /// The session gone, after delete.
        case deleted

        /// `RUNNING`, `PAUSED` or `deleted`, for messages.
        var description: String {
            switch self {
            case .running: "RUNNING"
            case .paused: "PAUSED"
            case .deleted: "deleted"
            }
        }

        /// `become RUNNING`, `become PAUSED` or `be deleted`, for messages.
        var phrase: String {
            self == .deleted ? "be deleted" : "become \(self)"
        }
    }

    /// Where the wait stands after an observation.
    enum Verdict: Sendable, Equatable {
        /// Not there yet.
        case waiting
        /// The goal is reached.
        case reached
        /// The goal cannot be reached any more; the text says why, for people.
        case failed(String)
    }

    /// What the wait is for.
    let goal: Goal
    /// The state last seen; nil before the first observation.
    private(set) var lastState: V1SessionState?
    /// The reason last seen with it.
    private(set) var lastReason = ""
    private var sawOtherThanPaused = false

    /// Creates a tracker that has seen nothing.
    init(goal: Goal) {
        self.goal = goal
    }

    /// Takes in the session as it is now.
    ///
    /// - Returns: whether its state or reason differ from the last observation (so a
    ///   progress line is due), and the verdict.
    mutating func observe(_ session: V1Session) -> (changed: Bool, verdict: Verdict) {
        let changed = session.state != lastState || session.stateReason != lastReason
        lastState = session.state
        lastReason = session.stateReason
        let pausedAfterStarting = session.state == .paused && sawOtherThanPaused
        if session.state != .paused { sawOtherThanPaused = true }
        return (changed, verdict(for: session, pausedAfterStarting: pausedAfterStarting))
    }

    /// Takes in that the session no longer exists.
    func observeDeletion() -> Verdict {
        goal == .deleted ? .reached : .failed("it was deleted")
    }

    private func verdict(for session: V1Session, pausedAfterStarting: Bool) -> Verdict {
        let reason = session.stateReason.isEmpty ? "" : ": \(session.stateReason)"
        switch (goal, session.state) {
        case (.running, .running), (.paused, .paused):
            return .reached
        case (.running, .failed), (.running, .buildFailed), (.paused, .failed), (.paused, .buildFailed):
            return .failed("it is \(session.state.name)\(reason)")
        case (.running, .deleting), (.paused, .deleting):
            return .failed("it is being deleted\(reason)")
        case (.running, .paused) where pausedAfterStarting:
            return .failed("it was paused before it was RUNNING\(reason)")
        default:
            return .waiting
        }
    }
}
