import SessionSDK

/// A provider that passes everything to another one, except sessions asking for more
/// CPU than a platform team allows: those are refused with `RESOURCE_EXHAUSTED`, on
/// create and on resume (a paused session's request may have been edited).
final class CappedProvider: SessionProvider {
    /// The provider that runs the sessions.
    let base: any SessionProvider
    /// The most CPU one session may ask for, in millicores.
    let maxCPUMillis: Int

    init(_ base: any SessionProvider, maxCPUMillis: Int) {
        self.base = base
        self.maxCPUMillis = maxCPUMillis
    }

    var identity: ProviderIdentity { ProviderIdentity(name: "capped-\(base.identity.name)", version: "1.0.0") }
    var capabilities: Set<ProviderCapability> { base.capabilities }

    func probe() async throws -> ProviderReadiness { try await base.probe() }

    func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        try check(request)
        return try await base.createSession(request)
    }

    func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        try check(request)
        return try await base.resumeSession(handle, request: request)
    }

    func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus { try await base.pauseSession(handle) }
    func deleteSession(_ handle: SessionHandle) async throws { try await base.deleteSession(handle) }
    func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus { try await base.describeSession(handle) }
    func listSessions() async throws -> [ProviderSessionStatus] { try await base.listSessions() }
    func watchSessions() -> AsyncThrowingStream<ProviderSessionStatus, any Error> { base.watchSessions() }
    func recoverSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus { try await base.recoverSession(handle) }
    func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
        try await base.execute(command, in: handle)
    }
    func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint {
        try await base.createCheckpoint(handle, checkpoint: checkpoint)
    }
    func deleteCheckpoint(_ checkpoint: Checkpoint) async throws { try await base.deleteCheckpoint(checkpoint) }
    func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String] { try await base.buildLog(handle, from: line) }
    func resizeHome(_ handle: SessionHandle, toBytes size: Int64) async throws -> Int64 {
        try await base.resizeHome(handle, toBytes: size)
    }

    private func check(_ request: ProviderSessionRequest) throws(SessionError) {
        guard request.resources.cpuMillis <= maxCPUMillis else {
            throw SessionError(
                .resourceExhausted,
                "session '\(request.sessionID)' asks for \(request.resources.cpuMillis) millicores; this environment allows at most \(maxCPUMillis)")
        }
    }
}
