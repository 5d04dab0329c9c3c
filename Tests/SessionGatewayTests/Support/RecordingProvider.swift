import SessionSDK
import Synchronization

/// A provider that forwards every requirement to another and records which ones the
/// gateway called, with the handle (or session id) each call was for. With
/// `returnOnceRunning`, create and resume return only once the session is RUNNING, as a
/// backend that starts sessions synchronously does. Requirements made unavailable
/// (``makeUnavailable(_:)``) fail with `UNAVAILABLE` after being recorded, as an
/// unreachable backend's do.
final class RecordingProvider: DelegatingSessionProvider {
    /// One call: the requirement's name and the handle or session id.
    struct Call: Hashable, Sendable {
        var requirement: String
        var subject: String
    }

    let base: any SessionProvider
    let returnOnceRunning: Bool
    /// Capabilities claimed beyond the base's (to reach the gateway's checks of them).
    let extraCapabilities: Set<ProviderCapability>
    /// The base's capabilities not claimed (to reach the gateway's refusals).
    let withoutCapabilities: Set<ProviderCapability>
    /// Runs in createCheckpoint before the base takes the checkpoint.
    let beforeCheckpoint: @Sendable () async -> Void
    /// The requirements that fail as if the backend could not be reached.
    private let unavailable = Mutex<Set<String>>([])
    private let recorded = Mutex<[Call]>([])
    private let requested = Mutex<[ProviderSessionRequest]>([])

    init(
        base: any SessionProvider, returnOnceRunning: Bool = false, extraCapabilities: Set<ProviderCapability> = [],
        withoutCapabilities: Set<ProviderCapability> = [], beforeCheckpoint: @escaping @Sendable () async -> Void = {}
    ) {
        self.base = base
        self.returnOnceRunning = returnOnceRunning
        self.extraCapabilities = extraCapabilities
        self.withoutCapabilities = withoutCapabilities
        self.beforeCheckpoint = beforeCheckpoint
    }

    /// Makes `requirements` fail with `UNAVAILABLE` from now on (and no others).
    func makeUnavailable(_ requirements: Set<String>) {
        unavailable.withLock { $0 = requirements }
    }

    /// Every call so far, in order.
    var calls: [Call] { recorded.withLock { $0 } }

    /// The requests of every create and resume so far, in order.
    var sessionRequests: [ProviderSessionRequest] { requested.withLock { $0 } }

    /// The subjects of every call of one requirement, in order.
    func subjects(of requirement: String) -> [String] {
        calls.filter { $0.requirement == requirement }.map(\.subject)
    }

    private func record(_ requirement: String, _ subject: String) throws(SessionError) {
        recorded.withLock { $0.append(Call(requirement: requirement, subject: subject)) }
        if unavailable.withLock({ $0.contains(requirement) }) {
            throw SessionError(.unavailable, "\(requirement) cannot reach the backend (test)")
        }
    }

    var capabilities: Set<ProviderCapability> { base.capabilities.union(extraCapabilities).subtracting(withoutCapabilities) }

    func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        requested.withLock { $0.append(request) }
        try record("createSession", request.sessionID.rawValue)
        return try await settled(try await base.createSession(request))
    }

    func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try record("pauseSession", handle.rawValue)
        return try await base.pauseSession(handle)
    }

    func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        requested.withLock { $0.append(request) }
        try record("resumeSession", handle.rawValue)
        return try await settled(try await base.resumeSession(handle, request: request))
    }

    func deleteSession(_ handle: SessionHandle) async throws {
        try record("deleteSession", handle.rawValue)
        try await base.deleteSession(handle)
    }

    /// `status`, or with `returnOnceRunning` the status once it is no longer on its way
    /// to RUNNING (at most 30 s).
    private func settled(_ status: ProviderSessionStatus) async throws -> ProviderSessionStatus {
        guard returnOnceRunning else { return status }
        var current = status
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while [.pending, .starting].contains(current.state), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            current = try await base.describeSession(status.handle)
        }
        return current
    }

    func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try record("describeSession", handle.rawValue)
        return try await base.describeSession(handle)
    }

    func listSessions() async throws -> [ProviderSessionStatus] {
        try record("listSessions", "")
        return try await base.listSessions()
    }

    func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint {
        try record("createCheckpoint", handle.rawValue)
        await beforeCheckpoint()
        return try await base.createCheckpoint(handle, checkpoint: checkpoint)
    }

    func deleteCheckpoint(_ checkpoint: Checkpoint) async throws {
        try record("deleteCheckpoint", checkpoint.id.rawValue)
        try await base.deleteCheckpoint(checkpoint)
    }

    func recoverSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try record("recoverSession", handle.rawValue)
        return try await base.recoverSession(handle)
    }

    func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
        try record("execute", handle.rawValue)
        return try await base.execute(command, in: handle)
    }

    func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String] {
        try record("buildLog", handle.rawValue)
        return try await base.buildLog(handle, from: line)
    }

    func resizeHome(_ handle: SessionHandle, toBytes size: Int64) async throws -> Int64 {
        try record("resizeHome", handle.rawValue)
        return try await base.resizeHome(handle, toBytes: size)
    }
}
