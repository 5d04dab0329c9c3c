public import SessionSDK
import Synchronization

/// A provider that wraps another and breaks one rule of the provider contract on
/// purpose (a ``Fault``), passing every other call through unchanged.
///
/// It tests conformance tooling: run the suite against
/// `FaultInjectingProvider(provider, fault: .deleteTwiceErrors)` and exactly the cases
/// that check that rule must fail. Plugin authors can use it the same way for their
/// own checks. Faults are implemented on top of the wrapped provider's own calls, so
/// they work with any backend, in process or remote; `resumeLosesStorage` needs
/// ``SessionSDK/ProviderCapability/execute`` and `deleteLeavesResource` pauses when
/// the backend can (otherwise it does nothing).
///
/// ```swift
/// let broken = FaultInjectingProvider(localProvider, fault: .readOnlyLinkWritable)
/// let report = await ConformanceSuite(configuration: .init(provider: broken, makeRequest: makeRequest)).run()
/// // report.failed.map(\.id) == ["datalinks/read-only-refuses-writes"]
/// ```
public final class FaultInjectingProvider: DelegatingSessionProvider {
    /// What the wrapper remembers to break its rule consistently.
    struct State: Sendable {
        var createdIDs: Set<SessionID> = []
        var repeatedCreates = 0
        var deleted: Set<SessionHandle> = []
        var capabilityReads = 0
        var fakePaused: Set<SessionHandle> = []
        var handles: [SessionID: SessionHandle] = [:]
        var cloneOrigins: [SessionHandle: SessionHandle] = [:]
        var createdHere: Set<SessionHandle> = []
        /// Sessions paused through this wrapper, for `resumeLosesStorage`.
        var pausedHere: Set<SessionHandle> = []
        /// Checkpoints taken through this wrapper by location, for `foreignCheckpointDeleted`.
        var checkpoints: [String: Checkpoint] = [:]
    }

    /// The provider whose behaviour is broken.
    public let wrapped: any SessionProvider
    /// ``wrapped``: what a requirement this wrapper does not break goes to.
    public var base: any SessionProvider { wrapped }
    /// The rule broken.
    public let fault: Fault
    let state = Mutex(State())

    /// Wraps `wrapped`, breaking `fault`.
    public init(_ wrapped: any SessionProvider, fault: Fault) {
        self.wrapped = wrapped
        self.fault = fault
    }

    /// The wrapped identity; with `malformedIdentity`, version `1.0`.
    public var identity: ProviderIdentity {
        var identity = wrapped.identity
        if fault == .malformedIdentity { identity.version = "1.0" }
        return identity
    }

    /// The wrapped capabilities; `capabilitiesUnstable` toggles `GPUS` on every second
    /// read, `unknownCapability` adds `TELEPORT`.
    public var capabilities: Set<ProviderCapability> {
        let capabilities = wrapped.capabilities
        switch fault {
        case .capabilitiesUnstable:
            let read = state.withLock { state in
                state.capabilityReads += 1
                return state.capabilityReads
            }
            return read.isMultiple(of: 2) ? capabilities.symmetricDifference([.gpus]) : capabilities
        case .unknownCapability:
            return capabilities.union([ProviderCapability(rawValue: "TELEPORT")])
        default:
            return capabilities
        }
    }

    /// The wrapped probe; `probeNeverReady` reports not ready.
    public func probe() async throws -> ProviderReadiness {
        let readiness = try await wrapped.probe()
        guard fault == .probeNeverReady else { return readiness }
        return ProviderReadiness(ready: false, message: "fault injected: never ready")
    }

    /// Creates through the wrapped provider, after rewriting the request for
    /// `createNotIdempotent` (a repeated id gets a new one), `readOnlyLinkWritable`,
    /// `dataLinkWidened` and `unimplementedReturnsOK` (a clone without CLONE starts
    /// empty).
    public func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        var sent = rewritten(request)
        if fault == .createNotIdempotent {
            let repeated = state.withLock { state -> Int? in
                guard !state.createdIDs.insert(request.sessionID).inserted else { return nil }
                state.repeatedCreates += 1
                return state.repeatedCreates
            }
            if let repeated { sent.sessionID = SessionID(rawValue: "\(request.sessionID.rawValue)-again-\(repeated)") }
        }
        if fault == .unimplementedReturnsOK, sent.restoreFrom != nil, !wrapped.capabilities.contains(.clone) {
            sent.restoreFrom = nil
        }
        let status = try await wrapped.createSession(sent)
        state.withLock { state in
            state.handles[request.sessionID] = status.handle
            state.createdHere.insert(status.handle)
            state.deleted.remove(status.handle)
            if let origin = request.restoreFrom.flatMap({ state.handles[$0.session] }) {
                state.cloneOrigins[status.handle] = origin
            }
        }
        return status
    }

    /// Pauses through the wrapped provider, except: `illegalTransitionAllowed` reports
    /// an unknown session PAUSED, `idempotentPauseFails` refuses a paused one,
    /// `pauseKeepsCompute` only pretends.
    public func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try checkRecognised(handle)
        switch fault {
        case .illegalTransitionAllowed:
            do {
                return try await wrapped.pauseSession(handle)
            } catch let error as SessionError where error.code == .notFound {
                return ProviderSessionStatus(sessionID: SessionID(rawValue: handle.rawValue), handle: handle, state: .paused)
            }
        case .idempotentPauseFails:
            if let current = try? await wrapped.describeSession(handle), current.state == .paused {
                throw SessionError(.failedPrecondition, "fault injected: session '\(handle)' is already PAUSED")
            }
        case .pauseKeepsCompute:
            let current = try await wrapped.describeSession(handle)
            state.withLock { _ = $0.fakePaused.insert(handle) }
            return pretendingPaused(current)
        case .unimplementedReturnsOK where !wrapped.capabilities.contains(.pauseResume):
            return try await wrapped.describeSession(handle)
        case .resumeLosesStorage:
            state.withLock { _ = $0.pausedHere.insert(handle) }
        default:
            break
        }
        return try await wrapped.pauseSession(handle)
    }

    /// Resumes through the wrapped provider, except: `illegalTransitionAllowed`
    /// creates an unknown session again, `resumeLosesStorage` empties the home first.
    public func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        try checkRecognised(handle)
        state.withLock { _ = $0.fakePaused.remove(handle) }
        let sent = rewritten(request)
        switch fault {
        case .illegalTransitionAllowed:
            do {
                return try await wrapped.resumeSession(handle, request: sent)
            } catch let error as SessionError where error.code == .notFound {
                return try await wrapped.createSession(sent)
            }
        case .resumeLosesStorage:
            // Only a resume after a pause wipes the home; resuming a running session
            // is left alone, so that only the storage rule breaks.
            if state.withLock({ $0.pausedHere.remove(handle) != nil }) {
                _ = try? await wrapped.execute(
                    ["sh", "-c", "find . -mindepth 1 -maxdepth 1 ! -name data -exec rm -rf {} +"], in: handle)
            }
        case .unimplementedReturnsOK where !wrapped.capabilities.contains(.pauseResume):
            return try await wrapped.describeSession(handle)
        default:
            break
        }
        return try await wrapped.resumeSession(handle, request: sent)
    }

    /// Deletes through the wrapped provider, except: `deleteTwiceErrors` refuses a
    /// handle it deleted before, `deleteLeavesResource` pauses instead.
    public func deleteSession(_ handle: SessionHandle) async throws {
        state.withLock { _ = $0.fakePaused.remove(handle) }
        switch fault {
        case .deleteTwiceErrors:
            let again = state.withLock { !$0.deleted.insert(handle).inserted }
            if again { throw SessionError(.notFound, "fault injected: session '\(handle)' was already deleted") }
        case .deleteLeavesResource:
            guard wrapped.capabilities.contains(.pauseResume) else { return }
            do {
                _ = try await wrapped.pauseSession(handle)
            } catch let error as SessionError where error.code == .notFound {
                return  // an unknown handle: delete would succeed too
            }
            return
        default:
            break
        }
        try await wrapped.deleteSession(handle)
    }

    /// Describes through the wrapped provider; `describeUnknownSucceeds` answers
    /// `NOT_FOUND` with an UNKNOWN status, `pauseKeepsCompute` keeps pretending.
    public func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try checkRecognised(handle)
        do {
            return pretendingPaused(try await wrapped.describeSession(handle))
        } catch let error as SessionError where error.code == .notFound && fault == .describeUnknownSucceeds {
            return ProviderSessionStatus(
                sessionID: SessionID(rawValue: handle.rawValue), handle: handle, state: .unknown, reason: "fault injected")
        }
    }

    /// Lists through the wrapped provider; `listDuplicates` repeats the first entry.
    public func listSessions() async throws -> [ProviderSessionStatus] {
        var statuses = try await wrapped.listSessions().map(pretendingPaused)
        if fault == .listDuplicates, let first = statuses.first { statuses.append(first) }
        return statuses
    }

    /// Checkpoints through the wrapped provider; `unimplementedReturnsOK` returns the
    /// checkpoint unchanged without CHECKPOINTS.
    public func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint {
        if fault == .unimplementedReturnsOK, !wrapped.capabilities.contains(.checkpoints) { return checkpoint }
        let taken = try await wrapped.createCheckpoint(handle, checkpoint: checkpoint)
        if fault == .foreignCheckpointDeleted { state.withLock { $0.checkpoints[taken.location] = taken } }
        return taken
    }

    /// Deletes a checkpoint through the wrapped provider; `unimplementedReturnsOK`
    /// does nothing without CHECKPOINTS; `foreignCheckpointDeleted` deletes the
    /// checkpoint taken at the location instead, or nothing, and succeeds.
    public func deleteCheckpoint(_ checkpoint: Checkpoint) async throws {
        if fault == .unimplementedReturnsOK, !wrapped.capabilities.contains(.checkpoints) { return }
        if fault == .foreignCheckpointDeleted {
            guard let named = state.withLock({ $0.checkpoints[checkpoint.location] }) else { return }
            try await wrapped.deleteCheckpoint(named)
            return
        }
        try await wrapped.deleteCheckpoint(checkpoint)
    }

    /// Recovers through the wrapped provider; `restartLosesSessions` answers
    /// `NOT_FOUND` for sessions this instance did not create.
    public func recoverSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try checkRecognised(handle)
        return try await wrapped.recoverSession(handle)
    }

    /// Executes through the wrapped provider; `cloneNotIsolated` runs a clone's
    /// commands in its origin too, `unimplementedReturnsOK` succeeds without EXECUTE.
    public func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
        try checkRecognised(handle)
        if fault == .unimplementedReturnsOK, !wrapped.capabilities.contains(.execute) {
            return ExecutionResult(exitCode: 0, output: "", errorOutput: "")
        }
        if fault == .cloneNotIsolated, let origin = state.withLock({ $0.cloneOrigins[handle] }) {
            _ = try? await wrapped.execute(command, in: origin)
        }
        return try await wrapped.execute(command, in: handle)
    }

    /// Reads the build log through the wrapped provider; `unimplementedReturnsOK`
    /// answers an empty log without ENVIRONMENT_BUILDS.
    public func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String] {
        try checkRecognised(handle)
        if fault == .unimplementedReturnsOK, !wrapped.capabilities.contains(.environmentBuilds) { return [] }
        return try await wrapped.buildLog(handle, from: line)
    }

    /// Resizes through the wrapped provider; `unimplementedReturnsOK` answers the size
    /// asked for without GROWING_HOME.
    public func resizeHome(_ handle: SessionHandle, toBytes size: Int64) async throws -> Int64 {
        try checkRecognised(handle)
        if fault == .unimplementedReturnsOK, !wrapped.capabilities.contains(.growingHome) { return size }
        return try await wrapped.resizeHome(handle, toBytes: size)
    }

    // MARK: Helpers

    /// The request with its data-links rewritten for `readOnlyLinkWritable` and
    /// `dataLinkWidened`.
    private func rewritten(_ request: ProviderSessionRequest) -> ProviderSessionRequest {
        var request = request
        switch fault {
        case .readOnlyLinkWritable:
            for index in request.dataLinks.indices { request.dataLinks[index].readOnly = false }
        case .dataLinkWidened:
            for index in request.dataLinks.indices {
                let prefix = request.dataLinks[index].dataLink.location.prefix
                let parent = prefix.split(separator: "/").dropLast().joined(separator: "/")
                request.dataLinks[index].dataLink.location.prefix = parent
            }
        default:
            break
        }
        return request
    }

    /// With `restartLosesSessions`, `NOT_FOUND` for a handle this instance did not
    /// create.
    private func checkRecognised(_ handle: SessionHandle) throws(SessionError) {
        guard fault == .restartLosesSessions, !state.withLock({ $0.createdHere.contains(handle) }) else { return }
        throw SessionError(.notFound, "fault injected: this instance does not know session '\(handle)'")
    }

    /// With `pauseKeepsCompute`, a session it pretended to pause reported PAUSED.
    private func pretendingPaused(_ status: ProviderSessionStatus) -> ProviderSessionStatus {
        guard fault == .pauseKeepsCompute, state.withLock({ $0.fakePaused.contains(status.handle) }) else { return status }
        var status = status
        status.state = .paused
        status.connection = nil
        status.timeLeft = nil
        return status
    }
}
