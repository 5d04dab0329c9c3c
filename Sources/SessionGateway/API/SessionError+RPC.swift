internal import RPCTransport
internal import SessionSDK

extension SessionError {
    /// The RPC status for this error: the same code number and message; the cause
    /// stays in the logs.
    var rpcError: RPCError {
        RPCError(RPCError.Code(rawValue: code.rawValue), message, cause: cause)
    }
}

/// Runs a handler body, sending a ``SessionError`` as the matching RPC status.
func answering<Result>(_ body: () async throws(SessionError) -> Result) async throws -> Result {
    do {
        return try await body()
    } catch {
        throw error.rpcError
    }
}

extension ServerContext {
    /// Who is calling, recorded as a session's owner and in the activity log. Until
    /// workspaces and roles arrive, every authenticated caller is the administrator.
    var caller: String { "admin" }
}
