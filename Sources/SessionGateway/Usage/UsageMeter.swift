internal import SessionSDK

/// Which usage intervals a change of a session ends and which it begins: a pure
/// decision the store applies in the change's own transaction, so that metered time
/// follows the recorded states exactly and survives restarts as the store does.
///
/// Compute is held in STARTING, RUNNING and PAUSING, and in UNKNOWN (the backend cannot
/// be asked) and DELETING as it was before; storage from creation until deletion. An
/// interval whose rate changes (an edited pod size, new prices) ends, and one at the
/// new rate begins.
enum UsageMeter {
    /// What a session holds.
    enum Resource: String, Sendable, CaseIterable {
        /// Its compute: a pod, a job, a process.
        case compute
        /// Its home volume.
        case storage
    }

    /// An interval being metered: what is held, at which hourly rate.
    struct Holding: Hashable, Sendable {
        /// What is held.
        var resource: Resource
        /// Per hour, in `currency`.
        var hourlyRate: Double
        /// Empty when the environment has no prices.
        var currency: String
    }

    /// The intervals to end (by resource) and to begin.
    struct Actions: Hashable, Sendable {
        /// The resources whose open interval ends.
        var end: [Resource] = []
        /// The intervals that begin.
        var begin: [Holding] = []
    }

    /// What a session in `state` holds at `rates`; nothing once it is deleted (nil).
    /// `open` are its open intervals, which UNKNOWN and DELETING keep as they are.
    static func holdings(state: SessionState?, rates: UsageRates, open: [Holding]) -> [Holding] {
        guard let state else { return [] }
        let holdsCompute = switch state {
        case .starting, .running, .pausing: true
        case .unknown, .deleting: open.contains { $0.resource == .compute }
        case .pending, .building, .buildFailed, .paused, .failed: false
        }
        var held = [Holding(resource: .storage, hourlyRate: rates.storage, currency: rates.currency)]
        if holdsCompute { held.append(Holding(resource: .compute, hourlyRate: rates.compute, currency: rates.currency)) }
        return held
    }

    /// What takes the open intervals to the wanted ones.
    static func actions(open: [Holding], wanted: [Holding]) -> Actions {
        var actions = Actions()
        for resource in Resource.allCases {
            let current = open.first { $0.resource == resource }
            let next = wanted.first { $0.resource == resource }
            guard current != next else { continue }
            if current != nil { actions.end.append(resource) }
            if let next { actions.begin.append(next) }
        }
        return actions
    }
}
