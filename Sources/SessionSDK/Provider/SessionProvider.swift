/// A backend that runs sessions: the one interface every plugin implements, in process
/// (a Swift type linked into the gateway) or out of process (a server speaking
/// `proto/sessiongw/provider/v1/provider.proto`).
///
/// The gateway owns the lifecycle: it persists what it accepted, enforces the state
/// machine (``SessionLifecycle``) before calling a provider, and reconciles what the
/// provider reports. A provider turns each call into work on its engine and reports
/// what it observes, mapped to canonical ``SessionState``s.
///
/// Every requirement may be called concurrently for different sessions, and must be
/// idempotent: the gateway retries after timeouts and restarts. Errors are
/// ``SessionError``s; the codes each requirement may throw are listed with it, and
/// `UNAVAILABLE` always means "the backend cannot be reached; retry".
///
/// New requirements are added with default implementations, so existing providers keep
/// compiling. A provider that wraps another conforms to ``DelegatingSessionProvider``,
/// which passes what it does not implement (new requirements too) to the wrapped one.
///
/// ```swift
/// struct EchoProvider: SessionProvider {
///     let identity = ProviderIdentity(name: "echo", version: "1.0.0")
///     let capabilities: Set<ProviderCapability> = [.pauseResume]
///     func probe() async throws -> ProviderReadiness { .init(ready: true, message: "ok") }
///     // ...
/// }
/// ```
public protocol SessionProvider: Sendable {
    /// The provider's name and version.
    var identity: ProviderIdentity { get }

    /// What the provider supports; stable for the provider's life.
    var capabilities: Set<ProviderCapability> { get }

    /// Whether the backend can take work now. Throws `UNAVAILABLE` when it cannot be
    /// reached at all.
    func probe() async throws -> ProviderReadiness

    /// Starts compute for a new session (or, with `restoreFrom`, a clone). Idempotent
    /// on `request.sessionID`: a repeated call returns the existing session's status
    /// and starts nothing new.
    ///
    /// Returns quickly, typically in `PENDING`; progress is observed through
    /// ``describeSession(_:)`` or ``watchSessions()``.
    ///
    /// - Throws: `INVALID_ARGUMENT` for a request the backend cannot express,
    ///   `RESOURCE_EXHAUSTED` for quota, `NOT_FOUND` for a missing image, volume or
    ///   checkpoint, `UNIMPLEMENTED` for a clone without ``ProviderCapability/clone``.
    func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus

    /// Takes a final checkpoint (when supported), then releases compute and keeps
    /// storage. Idempotent: pausing a paused session does nothing.
    ///
    /// - Throws: `NOT_FOUND` when the handle names nothing, `UNIMPLEMENTED` without
    ///   ``ProviderCapability/pauseResume``.
    func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus

    /// Starts compute again with the same storage. Idempotent: resuming a running
    /// session does nothing. `request` is the session's current request (it may have
    /// been edited while paused).
    ///
    /// - Throws: `NOT_FOUND`, `UNIMPLEMENTED` without ``ProviderCapability/pauseResume``.
    func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus

    /// Tears down compute and storage. Idempotent: an unknown handle succeeds.
    func deleteSession(_ handle: SessionHandle) async throws

    /// The session's current state as the backend sees it.
    ///
    /// - Throws: `NOT_FOUND` when the backend has no such session (it was removed
    ///   outside the gateway).
    func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus

    /// Every session the backend runs for this gateway, found by the marks the
    /// provider puts on resources, so the gateway can find resources no session owns.
    func listSessions() async throws -> [ProviderSessionStatus]

    /// State changes as they happen. Only with ``ProviderCapability/watch``; the
    /// gateway polls ``describeSession(_:)`` otherwise.
    func watchSessions() -> AsyncThrowingStream<ProviderSessionStatus, any Error>

    /// Takes a checkpoint of a running or paused session's filesystem, excluding
    /// mounted data. Only with ``ProviderCapability/checkpoints``.
    ///
    /// - Returns: the checkpoint with its `location` filled in.
    func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint

    /// Removes a checkpoint's data. Idempotent. The gateway calls it only when no
    /// session references the checkpoint any more.
    ///
    /// - Throws: `INVALID_ARGUMENT`, deleting nothing, when the checkpoint's location is
    ///   not what this backend made for that checkpoint of that session (another
    ///   checkpoint's, another session's, another backend's): a location is data the
    ///   gateway stored, not a licence to delete what it names.
    func deleteCheckpoint(_ checkpoint: Checkpoint) async throws

    /// Re-attaches to a session after a gateway restart, from its stored handle.
    ///
    /// - Throws: `NOT_FOUND` when nothing of the session is left.
    func recoverSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus

    /// Runs a command inside the session's environment (its filesystem and mounts).
    /// Only with ``ProviderCapability/execute``.
    func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult
    /// The lines of the session's environment build log from line `from` on (0 for the
    /// first), at most ``SessionProvider/buildLogPageSize`` of them, while the build
    /// runs and after it ended (kept with the session). Empty when there is nothing
    /// new or the session had nothing to build. Only with
    /// ``ProviderCapability/environmentBuilds``.
    ///
    /// - Throws: `NOT_FOUND` when the handle names nothing.
    func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String]
    /// Sets the size of the session's home filesystem (a new home; see
    /// ``ProviderCapability/growingHome``) while it runs or is paused, and returns the
    /// size it has now: a shrink stops above what the home holds.
    ///
    /// - Throws: `NOT_FOUND` when the handle names nothing, `FAILED_PRECONDITION` for a
    ///   home that is not a filesystem of its own (an existing volume).
    func resizeHome(_ handle: SessionHandle, toBytes size: Int64) async throws -> Int64
}

extension SessionProvider {
    /// Without ``ProviderCapability/watch``: an empty stream that ends at once.
    public func watchSessions() -> AsyncThrowingStream<ProviderSessionStatus, any Error> {
        AsyncThrowingStream { $0.finish(throwing: Self.unimplemented("watch", capability: .watch)) }
    }

    /// Without ``ProviderCapability/checkpoints``: `UNIMPLEMENTED`.
    public func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint {
        throw Self.unimplemented("checkpoints", capability: .checkpoints)
    }

    /// Without ``ProviderCapability/checkpoints``: `UNIMPLEMENTED`.
    public func deleteCheckpoint(_ checkpoint: Checkpoint) async throws {
        throw Self.unimplemented("checkpoints", capability: .checkpoints)
    }

    /// By default, recovery is describing the handle.
    public func recoverSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        try await describeSession(handle)
    }

    /// Without ``ProviderCapability/execute``: `UNIMPLEMENTED`.
    public func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
        throw Self.unimplemented("executing commands in sessions", capability: .execute)
    }

    /// Without ``ProviderCapability/environmentBuilds``: `UNIMPLEMENTED`.
    public func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String] {
        throw Self.unimplemented("custom environments", capability: .environmentBuilds)
    }

    /// Without ``ProviderCapability/growingHome``: `UNIMPLEMENTED`.
    public func resizeHome(_ handle: SessionHandle, toBytes size: Int64) async throws -> Int64 {
        throw Self.unimplemented("resizing homes", capability: .growingHome)
    }

    /// The most lines one ``buildLog(_:from:)`` call returns.
    public static var buildLogPageSize: Int { 500 }

    /// The error for a call the provider lacks the capability for.
    public static func unimplemented(_ what: String, capability: ProviderCapability) -> SessionError {
        SessionError(.unimplemented, "this provider does not support \(what) (capability \(capability) is absent)")
    }
}
