import SessionSDK

/// A provider that hides some capabilities of another: it does not report them, and
/// their requirements throw `UNIMPLEMENTED` as a provider without them must. It lets
/// the cases for providers without a capability run against the Local backend.
final class CapabilityMaskingProvider: SessionProvider {
    let wrapped: any SessionProvider
    let hidden: Set<ProviderCapability>

    init(_ wrapped: any SessionProvider, hiding hidden: Set<ProviderCapability>) {
        self.wrapped = wrapped
        self.hidden = hidden
    }

    var identity: ProviderIdentity { wrapped.identity }
    var capabilities: Set<ProviderCapability> { wrapped.capabilities.subtracting(hidden) }

    private func require(_ capability: ProviderCapability, _ what: String) throws(SessionError) {
        if hidden.contains(capability) { throw Self.unimplemented(what, capability: capability) }
    }

    func probe() async throws -> ProviderReadiness { try await wrapped.probe() }
    func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        if request.restoreFrom != nil { try require(.clone, "clones") }
        return try await wrapped.createSession(request)
    }
    func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try require(.pauseResume, "pause")
        return try await wrapped.pauseSession(handle)
    }
    func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        try require(.pauseResume, "resume")
        return try await wrapped.resumeSession(handle, request: request)
    }
    func deleteSession(_ handle: SessionHandle) async throws { try await wrapped.deleteSession(handle) }
    func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus { try await wrapped.describeSession(handle) }
    func listSessions() async throws -> [ProviderSessionStatus] { try await wrapped.listSessions() }
    func watchSessions() -> AsyncThrowingStream<ProviderSessionStatus, any Error> {
        if hidden.contains(.watch) {
            return AsyncThrowingStream { $0.finish(throwing: Self.unimplemented("watch", capability: .watch)) }
        }
        return wrapped.watchSessions()
    }
    func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint {
        try require(.checkpoints, "checkpoints")
        return try await wrapped.createCheckpoint(handle, checkpoint: checkpoint)
    }
    func deleteCheckpoint(_ checkpoint: Checkpoint) async throws {
        try require(.checkpoints, "checkpoints")
        try await wrapped.deleteCheckpoint(checkpoint)
    }
    func recoverSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus { try await wrapped.recoverSession(handle) }
    func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
        try require(.execute, "executing commands")
        return try await wrapped.execute(command, in: handle)
    }

    func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String] {
        try require(.environmentBuilds, "custom environments")
        return try await wrapped.buildLog(handle, from: line)
    }
}
