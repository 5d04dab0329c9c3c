/// The lifecycle rules of a session, as a value with no side effects: each request or
/// observation returns what the owner must do, and the owner performs the I/O.
///
/// Requests (from callers), by current state; `→ X` moves to X and calls the provider,
/// `=` succeeds without doing anything (idempotent), `✗` is refused:
///
/// | state | pause | resume | delete | delete (force) | edit compute/env/volumes/links | connect |
/// |---|---|---|---|---|---|---|
/// | PENDING, BUILDING, STARTING | ✗ starting | = | ✗ running | → DELETING | ✗ needs PAUSED | ✗ not yet |
/// | RUNNING | → PAUSING | = | ✗ running | → DELETING | ✗ needs PAUSED | ✓ |
/// | PAUSING | = | ✗ wait | ✗ running | → DELETING | ✗ needs PAUSED | ✗ |
/// | PAUSED | = | → PENDING | → DELETING | → DELETING | ✓ | ✗ |
/// | FAILED | → PAUSING | → PENDING | → DELETING | → DELETING | ✓ | ✗ |
/// | BUILD_FAILED | ✗ | ✗ | → DELETING | → DELETING | ✗ | ✗ |
/// | DELETING | ✗ | ✗ | = | = | ✗ | ✗ |
/// | UNKNOWN | ✗ unavailable | ✗ unavailable | ✗ | → DELETING | ✗ | ✗ |
///
/// Labels and the duration limit can be edited in every state but DELETING.
/// Refusals are `FAILED_PRECONDITION` naming the current state (`UNAVAILABLE` for
/// UNKNOWN, whose cure is to wait for the backend).
///
/// Observations (what the provider reports) are applied by ``observe(_:)``.
public struct SessionLifecycle: Hashable, Sendable {
    /// A caller's request.
    public enum Request: Hashable, Sendable {
        /// Release compute, keep storage.
        case pause
        /// Start compute again.
        case resume
        /// Tear everything down; `force` allows it while compute is held.
        case delete(force: Bool)
        /// Change the spec.
        case update(UpdateKind)
        /// Obtain connection info.
        case connect
    }

    /// What an update changes.
    public enum UpdateKind: String, Hashable, Sendable, CaseIterable {
        /// CPU, memory or GPUs.
        case compute
        /// Environment variables.
        case environment
        /// Home or data volumes.
        case volumes
        /// Mounted data-links.
        case dataLinks
        /// Labels.
        case labels
        /// The session duration limit.
        case durationLimit

        /// Whether the change needs the session's compute to be released first.
        public var needsPausedSession: Bool {
            switch self {
            case .compute, .environment, .volumes, .dataLinks: true
            case .labels, .durationLimit: false
            }
        }
    }

    /// What the owner must do after a request was accepted.
    public enum Action: Hashable, Sendable {
        /// Nothing: the request is already satisfied.
        case none
        /// Record the change; no provider call.
        case record
        /// Ask the provider to pause.
        case pause
        /// Ask the provider to resume.
        case resume
        /// Ask the provider to delete.
        case delete
    }

    /// The outcome of an observation.
    public enum Observation: Hashable, Sendable {
        /// The state changed.
        case changed(from: SessionState, to: SessionState)
        /// Nothing changed.
        case unchanged
        /// The observation does not apply (an operation is in progress).
        case ignored
        /// The backend drifted from what was accepted; the owner must call the
        /// provider again.
        case repair(Action)
    }

    /// The current state.
    public private(set) var state: SessionState

    /// Starts from a state (a new session starts in PENDING).
    public init(state: SessionState = .pending) {
        self.state = state
    }

    /// Applies a request: moves to the next state and returns what to do, or throws
    /// the refusal without changing anything.
    public mutating func handle(_ request: Request) throws(SessionError) -> Action {
        switch request {
        case .pause: return try pause()
        case .resume: return try resume()
        case .delete(let force): return try delete(force: force)
        case .update(let kind): return try update(kind)
        case .connect:
            guard state == .running else {
                if state == .unknown { throw unreachable() }
                throw refusal("connection info is available once the session is RUNNING")
            }
            return .none
        }
    }

    private mutating func pause() throws(SessionError) -> Action {
        switch state {
        case .running, .failed:
            state = .pausing
            return .pause
        case .paused, .pausing:
            return .none
        case .pending, .building, .starting:
            throw refusal("a session cannot be paused while it is starting; wait until it is RUNNING")
        case .buildFailed:
            throw refusal("its environment failed to build; delete it")
        case .deleting:
            throw refusal("it is being deleted")
        case .unknown:
            throw unreachable()
        }
    }

    private mutating func resume() throws(SessionError) -> Action {
        switch state {
        case .paused, .failed:
            state = .pending
            return .resume
        case .pending, .building, .starting, .running:
            return .none
        case .pausing:
            throw refusal("wait until it is PAUSED")
        case .buildFailed:
            throw refusal("its environment failed to build; delete it")
        case .deleting:
            throw refusal("it is being deleted")
        case .unknown:
            throw unreachable()
        }
    }

    private mutating func delete(force: Bool) throws(SessionError) -> Action {
        switch state {
        case .deleting:
            return .none
        case .paused, .failed, .buildFailed:
            state = .deleting
            return .delete
        case .pending, .building, .starting, .running, .pausing, .unknown:
            guard force else {
                if state == .unknown { throw unreachable(orForce: true) }
                throw refusal("deleting tears down compute and storage and is irreversible; pause it first, or delete with force")
            }
            state = .deleting
            return .delete
        }
    }

    private func update(_ kind: UpdateKind) throws(SessionError) -> Action {
        guard state != .deleting else { throw refusal("it is being deleted") }
        guard kind.needsPausedSession else { return .record }
        switch state {
        case .paused, .failed:
            return .record
        case .unknown:
            throw unreachable()
        default:
            throw refusal("changing \(kind.description) requires the session to be PAUSED; pause it first")
        }
    }

    /// Applies what the provider reports. Rules: nothing overrides DELETING; PAUSING
    /// ends only in PAUSED or FAILED; a PAUSED session found running is paused again;
    /// a session holding no compute stays as it is while its backend is UNKNOWN;
    /// otherwise the observed state wins.
    public mutating func observe(_ observed: SessionState) -> Observation {
        let previous = state
        switch (state, observed) {
        case (.deleting, _):
            return .ignored
        case (.pausing, .paused), (.pausing, .failed):
            state = observed
        case (.pausing, _):
            return .ignored
        case (.paused, .pending), (.paused, .starting), (.paused, .running), (.paused, .building):
            state = .pausing
            return .repair(.pause)
        case (.paused, .paused), (.paused, .failed):
            return .unchanged
        case (.paused, .unknown), (.failed, .unknown), (.buildFailed, .unknown):
            // Holding no compute, the session is as it was while its backend is away.
            return .unchanged
        default:
            state = observed
        }
        return previous == state ? .unchanged : .changed(from: previous, to: state)
    }

    private func refusal(_ detail: String) -> SessionError {
        SessionError(.failedPrecondition, "the session is \(state): \(detail)")
    }

    private func unreachable(orForce: Bool = false) -> SessionError {
        SessionError(
            .unavailable,
            "the session is UNKNOWN: its backend cannot be reached; retry later" + (orForce ? " or delete with force" : ""))
    }
}

extension SessionLifecycle.UpdateKind: CustomStringConvertible {
    /// Words for messages: "compute size", "environment variables", ...
    public var description: String {
        switch self {
        case .compute: "compute size"
        case .environment: "environment variables"
        case .volumes: "volumes"
        case .dataLinks: "data-links"
        case .labels: "labels"
        case .durationLimit: "the duration limit"
        }
    }
}
