public import RPCTransport
public import SessionSDK
internal import SessionAPI

/// Serves any ``SessionProvider`` as `sessiongw.provider.v1.SessionProviderService`
/// (`proto/sessiongw/provider/v1/provider.proto`), so a backend written in Swift can
/// run out of process and be reached by a ``RemoteProvider``, as CSI drivers are.
///
/// Every RPC calls the matching requirement. Requests are checked field by field
/// first; a bad one is answered `INVALID_ARGUMENT` naming the field, without calling
/// the provider. A ``SessionError`` the provider throws becomes the call's status with
/// the same code and message (its cause stays in this process); so does the
/// `UNIMPLEMENTED` the requirements throw for a capability the provider lacks. Any
/// other error is a bug: it is logged with a correlation id and answered `INTERNAL`
/// with a message that says nothing but the id. `WatchSessions` streams the provider's
/// ``SessionProvider/watchSessions()`` until the caller cancels or the provider's
/// stream ends.
///
/// ```swift
/// let server = RPCServer(
///     configuration: .init(listeners: [.unixDomainSocket(path: "/run/sessiongw/local.sock")]),
///     services: [ProviderService(provider: localProvider), HealthService()],
///     logger: logger)
/// try await server.run()
/// ```
public struct ProviderService: RPCService {
    /// The provider served.
    public let provider: any SessionProvider

    /// Creates the service.
    public init(provider: any SessionProvider) {
        self.provider = provider
    }

    public func registerMethods(with router: inout RPCRouter) {
        Calls(provider: provider).registerMethods(with: &router)
    }

    /// The generated service protocol's functions, one per RPC (kept apart so that the
    /// generated API types stay out of this product's public API).
    private struct Calls: SessionProviderServiceProtocol {
        let provider: any SessionProvider

        func getIdentity(
            _ request: ProviderV1GetIdentityRequest, context: ServerContext
        ) async throws -> ProviderV1GetIdentityResponse {
            ProviderV1GetIdentityResponse(identity: provider.identity, capabilities: provider.capabilities)
        }

        func probe(_ request: ProviderV1ProbeRequest, context: ServerContext) async throws -> ProviderV1ProbeResponse {
            try await ProviderService.serving(context) { ProviderV1ProbeResponse(try await provider.probe()) }
        }

        func createSession(
            _ request: ProviderV1CreateSessionRequest, context: ServerContext
        ) async throws -> ProviderV1CreateSessionResponse {
            try await ProviderService.serving(context) {
                let session = try ProviderService.sessionRequest(request.session)
                return try ProviderV1CreateSessionResponse(status: ProviderV1SessionStatus(try await provider.createSession(session)))
            }
        }

        func pauseSession(
            _ request: ProviderV1PauseSessionRequest, context: ServerContext
        ) async throws -> ProviderV1PauseSessionResponse {
            try await ProviderService.serving(context) {
                let handle = try SessionHandle(validating: request.handle)
                return try ProviderV1PauseSessionResponse(status: ProviderV1SessionStatus(try await provider.pauseSession(handle)))
            }
        }

        func resumeSession(
            _ request: ProviderV1ResumeSessionRequest, context: ServerContext
        ) async throws -> ProviderV1ResumeSessionResponse {
            try await ProviderService.serving(context) {
                let handle = try SessionHandle(validating: request.handle)
                let session = try ProviderService.sessionRequest(request.session)
                let status = try await provider.resumeSession(handle, request: session)
                return try ProviderV1ResumeSessionResponse(status: ProviderV1SessionStatus(status))
            }
        }

        func deleteSession(
            _ request: ProviderV1DeleteSessionRequest, context: ServerContext
        ) async throws -> ProviderV1DeleteSessionResponse {
            try await ProviderService.serving(context) {
                try await provider.deleteSession(try SessionHandle(validating: request.handle))
                return ProviderV1DeleteSessionResponse()
            }
        }

        func describeSession(
            _ request: ProviderV1DescribeSessionRequest, context: ServerContext
        ) async throws -> ProviderV1DescribeSessionResponse {
            try await ProviderService.serving(context) {
                let handle = try SessionHandle(validating: request.handle)
                return try ProviderV1DescribeSessionResponse(status: ProviderV1SessionStatus(try await provider.describeSession(handle)))
            }
        }

        func listSessions(
            _ request: ProviderV1ListSessionsRequest, context: ServerContext
        ) async throws -> ProviderV1ListSessionsResponse {
            try await ProviderService.serving(context) {
                ProviderV1ListSessionsResponse(sessions: try await provider.listSessions().map { status throws(SessionError) in try ProviderV1SessionStatus(status) })
            }
        }

        func watchSessions(
            _ request: ProviderV1WatchSessionsRequest, writer: ServerResponseWriter<ProviderV1WatchSessionsResponse>,
            context: ServerContext
        ) async throws {
            var statuses = provider.watchSessions().makeAsyncIterator()
            while let status = try await ProviderService.serving(context, { try await statuses.next() }) {
                try await writer.write(ProviderV1WatchSessionsResponse(status: try ProviderV1SessionStatus(status)))
            }
        }

        func createCheckpoint(
            _ request: ProviderV1CreateCheckpointRequest, context: ServerContext
        ) async throws -> ProviderV1CreateCheckpointResponse {
            try await ProviderService.serving(context) {
                let handle = try SessionHandle(validating: request.handle)
                let checkpoint = try ProviderService.checkpoint(request.checkpoint)
                let taken = try await provider.createCheckpoint(handle, checkpoint: checkpoint)
                return ProviderV1CreateCheckpointResponse(checkpoint: ProviderV1Checkpoint(taken))
            }
        }

        func deleteCheckpoint(
            _ request: ProviderV1DeleteCheckpointRequest, context: ServerContext
        ) async throws -> ProviderV1DeleteCheckpointResponse {
            try await ProviderService.serving(context) {
                try await provider.deleteCheckpoint(try ProviderService.checkpoint(request.checkpoint))
                return ProviderV1DeleteCheckpointResponse()
            }
        }

        func recoverSession(
            _ request: ProviderV1RecoverSessionRequest, context: ServerContext
        ) async throws -> ProviderV1RecoverSessionResponse {
            try await ProviderService.serving(context) {
                let handle = try SessionHandle(validating: request.handle)
                return try ProviderV1RecoverSessionResponse(status: ProviderV1SessionStatus(try await provider.recoverSession(handle)))
            }
        }

        func execute(_ request: ProviderV1ExecuteRequest, context: ServerContext) async throws -> ProviderV1ExecuteResponse {
            try await ProviderService.serving(context) {
                let handle = try SessionHandle(validating: request.handle)
                guard !request.command.isEmpty else {
                    throw APIFieldRules.invalid("command", "is required: give the program and its arguments")
                }
                let command = try APIFieldRules.texts(request.command, field: "command")
                return ProviderV1ExecuteResponse(try await provider.execute(command, in: handle))
            }
        }

        func getBuildLog(_ request: ProviderV1GetBuildLogRequest, context: ServerContext) async throws -> ProviderV1GetBuildLogResponse {
            try await ProviderService.serving(context) {
                let handle = try SessionHandle(validating: request.handle)
                guard request.fromLine >= 0 else { throw APIFieldRules.invalid("from_line", "must not be negative") }
                let lines = try await provider.buildLog(handle, from: Int(request.fromLine))
                return ProviderV1GetBuildLogResponse(lines: Array(lines.prefix(type(of: provider).buildLogPageSize)))
            }
        }
    }

    // MARK: Request fields

    /// The session request a call must carry, checked field by field.
    private static func sessionRequest(_ message: ProviderV1SessionRequest?) throws(SessionError) -> ProviderSessionRequest {
        guard let message else { throw APIFieldRules.invalid("session", "is required") }
        return try ProviderSessionRequest(message)
    }

    /// The checkpoint a call must carry, checked field by field.
    private static func checkpoint(_ message: ProviderV1Checkpoint?) throws(SessionError) -> Checkpoint {
        guard let message else { throw APIFieldRules.invalid("checkpoint", "is required") }
        return try Checkpoint(message)
    }
}
