import SessionSDK
import Synchronization

/// A provider whose answers a test scripts, recording the requests it receives.
///
/// Requirements without a script answer plausibly (create gives PENDING, describe
/// `NOT_FOUND`); checkpoints and execute keep the SDK's defaults, which throw
/// `UNIMPLEMENTED` as a provider without those capabilities does.
struct ScriptedProvider: SessionProvider {
    /// The answers.
    struct Script: Sendable {
        var probe: @Sendable () async throws -> ProviderReadiness = { ProviderReadiness(ready: true, message: "scripted") }
        var create: @Sendable (ProviderSessionRequest) async throws -> ProviderSessionStatus = { request in
            ProviderSessionStatus(
                sessionID: request.sessionID, handle: SessionHandle(rawValue: "h-\(request.sessionID)"), state: .pending)
        }
        var describe: @Sendable (SessionHandle) async throws -> ProviderSessionStatus = { handle in
            throw SessionError(.notFound, "the scripted provider has no session '\(handle)'")
        }
        /// The watch stream; nil for a provider without ``ProviderCapability/watch``.
        var watch: (@Sendable () -> AsyncThrowingStream<ProviderSessionStatus, any Error>)?
    }

    /// What the provider was asked, in order.
    final class Calls: Sendable {
        private let state = Mutex<[String]>([])
        private let requests = Mutex<[ProviderSessionRequest]>([])

        /// The requirement names called, such as `createSession`.
        var names: [String] { state.withLock { $0 } }
        /// The requests `createSession` and `resumeSession` received.
        var sessionRequests: [ProviderSessionRequest] { requests.withLock { $0 } }

        func record(_ name: String, _ request: ProviderSessionRequest? = nil) {
            state.withLock { $0.append(name) }
            if let request { requests.withLock { $0.append(request) } }
        }
    }

    let identity: ProviderIdentity
    let capabilities: Set<ProviderCapability>
    let script: Script
    let calls = Calls()

    init(
        identity: ProviderIdentity = ProviderIdentity(name: "scripted", version: "2.3.4"),
        capabilities: Set<ProviderCapability> = [.pauseResume],
        script: Script = Script()
    ) {
        self.identity = identity
        self.capabilities = capabilities
        self.script = script
    }

    func probe() async throws -> ProviderReadiness {
        calls.record("probe")
        return try await script.probe()
    }

    func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        calls.record("createSession", request)
        return try await script.create(request)
    }

    func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        calls.record("pauseSession")
        return ProviderSessionStatus(sessionID: SessionID(rawValue: "s"), handle: handle, state: .paused)
    }

    func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        calls.record("resumeSession", request)
        return ProviderSessionStatus(sessionID: request.sessionID, handle: handle, state: .pending)
    }

    func deleteSession(_ handle: SessionHandle) async throws {
        calls.record("deleteSession")
    }

    func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        calls.record("describeSession")
        return try await script.describe(handle)
    }

    func listSessions() async throws -> [ProviderSessionStatus] {
        calls.record("listSessions")
        return []
    }

    func watchSessions() -> AsyncThrowingStream<ProviderSessionStatus, any Error> {
        calls.record("watchSessions")
        guard let watch = script.watch else {
            return AsyncThrowingStream { $0.finish(throwing: Self.unimplemented("watch", capability: .watch)) }
        }
        return watch()
    }
}
