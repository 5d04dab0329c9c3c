import Testing
@testable import SessionSDK

/// The lifecycle state machine, request by request and observation by observation.
///
/// The expectations are written from the design brief (section 4), not read off the
/// implementation: pause keeps storage and cannot happen while starting; resume goes
/// through PENDING; delete needs the session not to hold compute unless forced; edits
/// that change compute need PAUSED; pause, resume and delete are idempotent; refusals
/// are FAILED_PRECONDITION naming the state, UNAVAILABLE when the state is UNKNOWN.
/// Where the brief is silent (FAILED, BUILD_FAILED), the rows follow the table in the
/// doc comment of `SessionLifecycle`, which the brief asks us to define.
@Suite("SessionLifecycle")
struct SessionLifecycleTests {
    typealias Request = SessionLifecycle.Request
    typealias Action = SessionLifecycle.Action

    /// What a request is expected to do in one state.
    enum Expected: Hashable, Sendable {
        /// Accepted: moves to `state` and asks the owner to perform `action`.
        case moves(to: SessionState, action: Action)
        /// Accepted without a state change.
        case stays(action: Action)
        /// Refused with this code, leaving the state as it was.
        case refused(SessionError.Code)
    }

    /// One row of the expectation table: what each request does in one state.
    struct Row: Sendable {
        var pause: Expected
        var resume: Expected
        var delete: Expected
        var forceDelete: Expected
        /// Compute size, environment variables, volumes, data-links.
        var editNeedingPause: Expected
        /// Labels, duration limit.
        var editAnytime: Expected
        var connect: Expected
    }

    /// Edits that change what runs, so they need compute released first.
    static let editsNeedingPause: Set<SessionLifecycle.UpdateKind> = [.compute, .environment, .volumes, .dataLinks]
    /// Edits that only change the record.
    static let editsAnytime: Set<SessionLifecycle.UpdateKind> = [.labels, .durationLimit]

    static let requests: [Request] =
        [.pause, .resume, .delete(force: false), .delete(force: true), .connect]
        + SessionLifecycle.UpdateKind.allCases.map { .update($0) }

    static let table: [SessionState: Row] = {
        let precondition = Expected.refused(.failedPrecondition)
        let unavailable = Expected.refused(.unavailable)
        let toDeleting = Expected.moves(to: .deleting, action: .delete)
        let nothing = Expected.stays(action: .none)
        let record = Expected.stays(action: .record)
        let starting = Row(
            pause: precondition, resume: nothing, delete: precondition, forceDelete: toDeleting,
            editNeedingPause: precondition, editAnytime: record, connect: precondition)
        return [
            .pending: starting,
            .building: starting,
            .starting: starting,
            .running: Row(
                pause: .moves(to: .pausing, action: .pause), resume: nothing, delete: precondition,
                forceDelete: toDeleting, editNeedingPause: precondition, editAnytime: record, connect: nothing),
            .pausing: Row(
                pause: nothing, resume: precondition, delete: precondition, forceDelete: toDeleting,
                editNeedingPause: precondition, editAnytime: record, connect: precondition),
            .paused: Row(
                pause: nothing, resume: .moves(to: .pending, action: .resume), delete: toDeleting,
                forceDelete: toDeleting, editNeedingPause: record, editAnytime: record, connect: precondition),
            .failed: Row(
                pause: .moves(to: .pausing, action: .pause), resume: .moves(to: .pending, action: .resume),
                delete: toDeleting, forceDelete: toDeleting, editNeedingPause: record, editAnytime: record,
                connect: precondition),
            .buildFailed: Row(
                pause: precondition, resume: precondition, delete: toDeleting, forceDelete: toDeleting,
                editNeedingPause: precondition, editAnytime: record, connect: precondition),
            .deleting: Row(
                pause: precondition, resume: precondition, delete: nothing, forceDelete: nothing,
                editNeedingPause: precondition, editAnytime: precondition, connect: precondition),
            .unknown: Row(
                pause: unavailable, resume: unavailable, delete: unavailable, forceDelete: toDeleting,
                editNeedingPause: unavailable, editAnytime: record, connect: unavailable),
        ]
    }()

    static func expected(_ request: Request, in state: SessionState) -> Expected? {
        guard let row = table[state] else { return nil }
        switch request {
        case .pause: return row.pause
        case .resume: return row.resume
        case .delete(force: false): return row.delete
        case .delete(force: true): return row.forceDelete
        case .connect: return row.connect
        case .update(let kind):
            if editsNeedingPause.contains(kind) { return row.editNeedingPause }
            if editsAnytime.contains(kind) { return row.editAnytime }
            return nil
        }
    }

    // MARK: Requests

    @Test("every request in every state", arguments: SessionState.allCases, requests)
    func request(in state: SessionState, _ request: Request) throws {
        let expected = try #require(
            Self.expected(request, in: state), "no expectation for \(request) in \(state); extend the table")
        var lifecycle = SessionLifecycle(state: state)
        switch expected {
        case .moves(let next, let action):
            #expect(try lifecycle.handle(request) == action)
            #expect(lifecycle.state == next)
        case .stays(let action):
            #expect(try lifecycle.handle(request) == action)
            #expect(lifecycle.state == state)
        case .refused(let code):
            let error = #expect(throws: SessionError.self) { try lifecycle.handle(request) }
            #expect(error?.code == code)
            #expect(error?.message.contains(state.rawValue) == true, "message must name \(state): \(error?.message ?? "")")
            #expect(lifecycle.state == state, "a refusal must not change the state")
        }
    }

    @Test("edits are classified as the brief says", arguments: SessionLifecycle.UpdateKind.allCases)
    func editClassification(_ kind: SessionLifecycle.UpdateKind) {
        #expect(Self.editsNeedingPause.contains(kind) != Self.editsAnytime.contains(kind), "\(kind) is unclassified")
        #expect(kind.needsPausedSession == Self.editsNeedingPause.contains(kind))
    }

    @Test("a refused edit says the session must be paused", arguments: [SessionState.running, .starting, .pausing])
    func editRefusalSaysPause(_ state: SessionState) {
        for kind in Self.editsNeedingPause {
            var lifecycle = SessionLifecycle(state: state)
            let error = #expect(throws: SessionError.self) { try lifecycle.handle(.update(kind)) }
            #expect(error?.message.contains("PAUSED") == true)
            #expect(error?.message.contains(kind.description) == true, "message must name what was changed")
        }
    }

    @Test("an UNKNOWN session refuses a plain delete and points at force")
    func unknownDeleteMentionsForce() {
        var lifecycle = SessionLifecycle(state: .unknown)
        let error = #expect(throws: SessionError.self) { try lifecycle.handle(.delete(force: false)) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("force") == true)
    }

    @Test("a new session starts in PENDING")
    func startsPending() {
        #expect(SessionLifecycle().state == .pending)
    }

    @Test("a session's life: start, pause, resume, delete, with repeats doing nothing")
    func walkThrough() throws {
        var lifecycle = SessionLifecycle()
        #expect(throws: SessionError.self) { try lifecycle.handle(.pause) }
        #expect(lifecycle.observe(.starting) == .changed(from: .pending, to: .starting))
        #expect(lifecycle.observe(.running) == .changed(from: .starting, to: .running))
        #expect(try lifecycle.handle(.connect) == .none)
        #expect(try lifecycle.handle(.resume) == .none)
        #expect(try lifecycle.handle(.pause) == .pause)
        #expect(try lifecycle.handle(.pause) == .none)
        #expect(lifecycle.state == .pausing)
        #expect(lifecycle.observe(.paused) == .changed(from: .pausing, to: .paused))
        #expect(try lifecycle.handle(.update(.compute)) == .record)
        #expect(try lifecycle.handle(.resume) == .resume)
        #expect(lifecycle.state == .pending)
        #expect(lifecycle.observe(.running) == .changed(from: .pending, to: .running))
        #expect(throws: SessionError.self) { try lifecycle.handle(.delete(force: false)) }
        #expect(try lifecycle.handle(.delete(force: true)) == .delete)
        #expect(try lifecycle.handle(.delete(force: false)) == .none)
        #expect(lifecycle.state == .deleting)
    }

    // MARK: Observations

    /// What observing `observed` in `current` is expected to report, and the state after.
    static func expectedObservation(
        _ observed: SessionState, in current: SessionState
    ) -> (SessionLifecycle.Observation, SessionState) {
        switch current {
        case .deleting:
            return (.ignored, .deleting)
        case .pausing where observed == .paused || observed == .failed:
            return (.changed(from: .pausing, to: observed), observed)
        case .pausing:
            return (.ignored, .pausing)
        case .paused where [.pending, .building, .starting, .running].contains(observed):
            return (.repair(.pause), .pausing)
        case .paused where observed == .failed:
            // Seqera's "errored" is a stopped session: a paused session reported failed
            // stays PAUSED (the implementation's choice; the brief is silent).
            return (.unchanged, .paused)
        case .paused where observed == .unknown, .failed where observed == .unknown,
             .buildFailed where observed == .unknown:
            // An unreachable backend changes nothing for a session holding no compute,
            // so a paused session is still paused (and repaired) when the backend returns.
            return (.unchanged, current)
        default:
            return observed == current ? (.unchanged, current) : (.changed(from: current, to: observed), observed)
        }
    }

    @Test("every observation in every state", arguments: SessionState.allCases, SessionState.allCases)
    func observation(in current: SessionState, of observed: SessionState) {
        let (outcome, next) = Self.expectedObservation(observed, in: current)
        var lifecycle = SessionLifecycle(state: current)
        #expect(lifecycle.observe(observed) == outcome)
        #expect(lifecycle.state == next)
    }

    @Test("errors reported earlier are overwritten when the session is seen running")
    func runningOverridesFailed() {
        var lifecycle = SessionLifecycle(state: .failed)
        #expect(lifecycle.observe(.running) == .changed(from: .failed, to: .running))
        #expect(lifecycle.state == .running)
    }

    @Test("a paused session found running is paused again, then settles")
    func pausedDriftIsRepaired() {
        var lifecycle = SessionLifecycle(state: .paused)
        #expect(lifecycle.observe(.running) == .repair(.pause))
        #expect(lifecycle.observe(.running) == .ignored, "while PAUSING, RUNNING is the old news")
        #expect(lifecycle.observe(.paused) == .changed(from: .pausing, to: .paused))
        #expect(lifecycle.observe(.paused) == .unchanged)
    }
}
