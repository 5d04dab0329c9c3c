import SessionSDK

/// The order in which one session's states may be observed while it starts and then
/// pauses: forward along `PENDING → BUILDING → STARTING → RUNNING → PAUSING → PAUSED`,
/// any step may be skipped (observers see levels, not every edge) and a state may
/// repeat, but a session is never seen going back.
enum StatePath {
    /// Starting, then pausing.
    static let startThenPause: [SessionState] = [.pending, .building, .starting, .running, .pausing, .paused]

    /// The first step of `observed` that goes back along `path` or leaves it, described;
    /// nil when the whole sequence is in order.
    static func firstViolation(in observed: [SessionState], along path: [SessionState] = startThenPause) -> String? {
        var previous: (state: SessionState, rank: Int)?
        for state in observed {
            guard let rank = path.firstIndex(of: state) else {
                return "\(state) is not a state of starting and pausing a healthy session"
            }
            if let previous, rank < previous.rank {
                return "\(state) was reported after \(previous.state)"
            }
            previous = (state, rank)
        }
        return nil
    }
}
