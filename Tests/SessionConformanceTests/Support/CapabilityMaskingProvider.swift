import SessionSDK

/// A provider that hides some capabilities of another: it does not report them, and
/// their requirements throw `UNIMPLEMENTED` as a provider without them must. It lets
/// the cases for providers without a capability run against the Local backend.
final class CapabilityMaskingProvider: DelegatingSessionProvider {
    let base: any SessionProvider
    let hidden: Set<ProviderCapability>

    init(_ base: any SessionProvider, hiding hidden: Set<ProviderCapability>) {
        self.base = base
        self.hidden = hidden
    }

    var capabilities: Set<ProviderCapability> { base.capabilities.subtracting(hidden) }

    private func require(_ capability: ProviderCapability, _ what: String) throws(SessionError) {
        if hidden.contains(capability) { throw Self.unimplemented(what, capability: capability) }
    }

    func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        if request.restoreFrom != nil { try require(.clone, "clones") }
        return try await base.createSession(request)
    }
    func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try require(.pauseResume, "pause")
        return try await base.pauseSession(handle)
    }
    func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        try require(.pauseResume, "resume")
        return try await base.resumeSession(handle, request: request)
    }
    func watchSessions() -> AsyncThrowingStream<ProviderSessionStatus, any Error> {
        if hidden.contains(.watch) {
            return AsyncThrowingStream { $0.finish(throwing: Self.unimplemented("watch", capability: .watch)) }
        }
        return base.watchSessions()
    }
    func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint {
        try require(.checkpoints, "checkpoints")
        return try await base.createCheckpoint(handle, checkpoint: checkpoint)
    }
    func deleteCheckpoint(_ checkpoint: Checkpoint) async throws {
        try require(.checkpoints, "checkpoints")
        try await base.deleteCheckpoint(checkpoint)
    }
    func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
        try require(.execute, "executing commands")
        return try await base.execute(command, in: handle)
    }
    func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String] {
        try require(.environmentBuilds, "custom environments")
        return try await base.buildLog(handle, from: line)
    }
    func resizeHome(_ handle: SessionHandle, toBytes size: Int64) async throws -> Int64 {
        try require(.growingHome, "resizing homes")
        return try await base.resizeHome(handle, toBytes: size)
    }
}
