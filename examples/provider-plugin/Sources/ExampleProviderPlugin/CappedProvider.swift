import SessionSDK

/// A provider that passes everything to another one, except sessions asking for more
/// CPU than a platform team allows: those are refused with `RESOURCE_EXHAUSTED`, on
/// create and on resume (a paused session's request may have been edited). Everything
/// else, whatever the SDK adds later, goes to the base (``DelegatingSessionProvider``).
final class CappedProvider: DelegatingSessionProvider {
    /// The provider that runs the sessions.
    let base: any SessionProvider
    /// The most CPU one session may ask for, in millicores.
    let maxCPUMillis: Int

    init(_ base: any SessionProvider, maxCPUMillis: Int) {
        self.base = base
        self.maxCPUMillis = maxCPUMillis
    }

    var identity: ProviderIdentity { ProviderIdentity(name: "capped-\(base.identity.name)", version: "1.0.0") }

    func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        try check(request)
        return try await base.createSession(request)
    }

    func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        try check(request)
        return try await base.resumeSession(handle, request: request)
    }

    private func check(_ request: ProviderSessionRequest) throws(SessionError) {
        guard request.resources.cpuMillis <= maxCPUMillis else {
            throw SessionError(
                .resourceExhausted,
                "session '\(request.sessionID)' asks for \(request.resources.cpuMillis) millicores; this environment allows at most \(maxCPUMillis)")
        }
    }
}
