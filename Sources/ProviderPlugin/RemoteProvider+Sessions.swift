import RPCTransport
internal import SessionAPI
public import SessionSDK

extension RemoteProvider {
    private typealias Methods = SessionProviderServiceMethods

    /// Calls `Probe`. `UNAVAILABLE` naming the address when the plugin cannot be
    /// reached; the plugin's own answer otherwise.
    public func probe() async throws -> ProviderReadiness {
        let response: ProviderV1ProbeResponse = try await request(Methods.probe, ProviderV1ProbeRequest())
        return try decoded(Methods.probe) { () throws(SessionError) in try ProviderReadiness(response) }
    }

    /// Calls `CreateSession`; the request carries resolved secret values and goes
    /// only to the plugin.
    public func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        let message = ProviderV1CreateSessionRequest(session: try ProviderV1SessionRequest(request))
        let response: ProviderV1CreateSessionResponse = try await self.request(Methods.createSession, message)
        return try status(response.status, of: Methods.createSession)
    }

    /// Calls `PauseSession`, which may take a final checkpoint (10 minutes by default).
    public func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        let response: ProviderV1PauseSessionResponse = try await request(
            Methods.pauseSession, ProviderV1PauseSessionRequest(handle: handle.rawValue))
        return try status(response.status, of: Methods.pauseSession)
    }

    /// Calls `ResumeSession` with the session's current request.
    public func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        let message = ProviderV1ResumeSessionRequest(handle: handle.rawValue, session: try ProviderV1SessionRequest(request))
        let response: ProviderV1ResumeSessionResponse = try await self.request(Methods.resumeSession, message)
        return try status(response.status, of: Methods.resumeSession)
    }

    /// Calls `DeleteSession`.
    public func deleteSession(_ handle: SessionHandle) async throws {
        let _: ProviderV1DeleteSessionResponse = try await request(
            Methods.deleteSession, ProviderV1DeleteSessionRequest(handle: handle.rawValue))
    }

    /// Calls `DescribeSession`; the plugin's `NOT_FOUND` comes back unchanged.
    public func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        let response: ProviderV1DescribeSessionResponse = try await request(
            Methods.describeSession, ProviderV1DescribeSessionRequest(handle: handle.rawValue))
        return try status(response.status, of: Methods.describeSession)
    }

    /// Calls `ListSessions`.
    public func listSessions() async throws -> [ProviderSessionStatus] {
        let response: ProviderV1ListSessionsResponse = try await request(
            Methods.listSessions, ProviderV1ListSessionsRequest())
        return try decoded(Methods.listSessions) { () throws(SessionError) in
            var statuses: [ProviderSessionStatus] = []
            statuses.reserveCapacity(response.sessions.count)
            for (index, message) in response.sessions.enumerated() {
                statuses.append(try ProviderSessionStatus(message, field: "sessions[\(index)]"))
            }
            return statuses
        }
    }

    /// Calls `RecoverSession`.
    public func recoverSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        let response: ProviderV1RecoverSessionResponse = try await request(
            Methods.recoverSession, ProviderV1RecoverSessionRequest(handle: handle.rawValue))
        return try status(response.status, of: Methods.recoverSession)
    }

    /// Calls `CreateCheckpoint` (10 minutes by default).
    public func createCheckpoint(_ handle: SessionHandle, checkpoint: Checkpoint) async throws -> Checkpoint {
        let message = ProviderV1CreateCheckpointRequest(handle: handle.rawValue, checkpoint: ProviderV1Checkpoint(checkpoint))
        let response: ProviderV1CreateCheckpointResponse = try await request(Methods.createCheckpoint, message)
        return try decoded(Methods.createCheckpoint) { () throws(SessionError) in
            guard let taken = response.checkpoint else { throw APIFieldRules.invalid("checkpoint", "is missing") }
            return try Checkpoint(taken)
        }
    }

    /// Calls `DeleteCheckpoint`.
    public func deleteCheckpoint(_ checkpoint: Checkpoint) async throws {
        let _: ProviderV1DeleteCheckpointResponse = try await request(
            Methods.deleteCheckpoint, ProviderV1DeleteCheckpointRequest(checkpoint: ProviderV1Checkpoint(checkpoint)))
    }

    /// Calls `Execute`; output that is not UTF-8 is decoded with replacement characters.
    public func execute(_ command: [String], in handle: SessionHandle) async throws -> ExecutionResult {
        let response: ProviderV1ExecuteResponse = try await request(
            Methods.execute, ProviderV1ExecuteRequest(handle: handle.rawValue, command: command))
        return ExecutionResult(response)
    }

    /// Calls `GetBuildLog`.
    public func buildLog(_ handle: SessionHandle, from line: Int) async throws -> [String] {
        let response: ProviderV1GetBuildLogResponse = try await request(
            Methods.getBuildLog, ProviderV1GetBuildLogRequest(handle: handle.rawValue, fromLine: Int32(clamping: line)))
        return response.lines
    }
}
