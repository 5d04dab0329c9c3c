/// A provider that changes part of what another provider does and passes the rest on:
/// conform, hold the other provider as ``base``, and implement only what changes.
///
/// Every requirement a conforming type does not implement goes to ``base``, including
/// requirements added to ``SessionProvider`` later. A wrapper that reports its base's
/// capabilities therefore keeps honouring them, rather than falling back to the
/// `UNIMPLEMENTED` defaults of a plain ``SessionProvider``.
///
/// ```swift
/// struct CappedProvider: DelegatingSessionProvider {
///     let base: any SessionProvider
///     func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
///         guard request.resources.cpuMillis <= 4000 else { throw SessionError(.resourceExhausted, "at most 4 CPUs") }
///         return try await base.createSession(request)
///     }
/// }
/// ```
public protocol DelegatingSessionProvider: SessionProvider {
    /// The provider that does what this one does not change.
    var base: any SessionProvider { get }
}

extension DelegatingSessionProvider {
    /// The base's.
    public var identity: ProviderIdentity { base.identity }
    /// The base's.
    public var capabilities: Set<ProviderCapability> { base.capabilities }
    /// The base's.
    public func probe() async throws -> ProviderReadiness { try await base.probe() }
    /// The base's.
    public func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        try await base.createSession(request)
    }
    /// The base's.
    public func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus { try await base.pauseSession(handle) }
    /// The base's.
    public func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        try await base.resumeSession(handle, request: request)
    }
    /// The base's.
    public func deleteSession(_ handle: SessionHandle) async throws { try await base.deleteSession(handle) }
    /// The base's.
    public func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try await base.describeSession(handle)
    }
    /// The base's.
    public func listSessions() async throws -> [ProviderSessionStatus] { try await base.listSessions() }
    /// The base's.
    public func watchSessions() -> AsyncThrowingStream<ProviderSessionStatus, any Error> { base.watchSessions() }
    /// The base's.
    public func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint {
        try await base.createCheckpoint(handle, checkpoint: checkpoint)
    }
    /// The base's.
    public func deleteCheckpoint(_ checkpoint: Checkpoint) async throws { try await base.deleteCheckpoint(checkpoint) }
    /// The base's.
    public func recoverSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try await base.recoverSession(handle)
    }
    /// The base's.
    public func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
        try await base.execute(command, in: handle)
    }
    /// The base's.
    public func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String] {
        try await base.buildLog(handle, from: line)
    }
    /// The base's.
    public func resizeHome(_ handle: SessionHandle, toBytes size: Int64) async throws -> Int64 {
        try await base.resizeHome(handle, toBytes: size)
    }
}
