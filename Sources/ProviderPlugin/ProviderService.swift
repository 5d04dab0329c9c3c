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
    private typealias Methods = SessionProviderServiceMethods

    /// The provider served.
    public let provider: any SessionProvider

    /// Creates the service for `provider`.
    public init(provider: any SessionProvider) {
        self.provider = provider
    }

    /// Registers the thirteen methods of `SessionProviderService`.
    public func registerMethods(with router: inout RPCRouter) {
        let provider = self.provider
        router.unary(Methods.getIdentity) { (_: ProviderV1GetIdentityRequest, _) in
            ProviderV1GetIdentityResponse(identity: provider.identity, capabilities: provider.capabilities)
        }
        router.unary(Methods.probe) { (_: ProviderV1ProbeRequest, context) in
            try await Self.serving(context) { ProviderV1ProbeResponse(try await provider.probe()) }
        }
        router.unary(Methods.createSession) { (request: ProviderV1CreateSessionRequest, context) in
            try await Self.serving(context) {
                let session = try Self.sessionRequest(request.session)
                return ProviderV1CreateSessionResponse(status: ProviderV1SessionStatus(try await provider.createSession(session)))
            }
        }
        router.unary(Methods.pauseSession) { (request: ProviderV1PauseSessionRequest, context) in
            try await Self.serving(context) {
                let handle = try SessionHandle(validating: request.handle)
                return ProviderV1PauseSessionResponse(status: ProviderV1SessionStatus(try await provider.pauseSession(handle)))
            }
        }
        router.unary(Methods.resumeSession) { (request: ProviderV1ResumeSessionRequest, context) in
            try await Self.serving(context) {
                let handle = try SessionHandle(validating: request.handle)
                let session = try Self.sessionRequest(request.session)
                let status = try await provider.resumeSession(handle, request: session)
                return ProviderV1ResumeSessionResponse(status: ProviderV1SessionStatus(status))
            }
        }
        router.unary(Methods.deleteSession) { (request: ProviderV1DeleteSessionRequest, context) in
            try await Self.serving(context) {
                try await provider.deleteSession(try SessionHandle(validating: request.handle))
                return ProviderV1DeleteSessionResponse()
            }
        }
        router.unary(Methods.describeSession) { (request: ProviderV1DescribeSessionRequest, context) in
            try await Self.serving(context) {
                let handle = try SessionHandle(validating: request.handle)
                return ProviderV1DescribeSessionResponse(
                    status: ProviderV1SessionStatus(try await provider.describeSession(handle)))
            }
        }
        router.unary(Methods.listSessions) { (_: ProviderV1ListSessionsRequest, context) in
            try await Self.serving(context) {
                ProviderV1ListSessionsResponse(sessions: try await provider.listSessions().map(ProviderV1SessionStatus.init))
            }
        }
        router.serverStreaming(Methods.watchSessions) {
            (_: ProviderV1WatchSessionsRequest, writer: ServerResponseWriter<ProviderV1WatchSessionsResponse>, context) in
            var statuses = provider.watchSessions().makeAsyncIterator()
            while let status = try await Self.serving(context, { try await statuses.next() }) {
                try await writer.write(ProviderV1WatchSessionsResponse(status: ProviderV1SessionStatus(status)))
            }
        }
        router.unary(Methods.createCheckpoint) { (request: ProviderV1CreateCheckpointRequest, context) in
            try await Self.serving(context) {
                let handle = try SessionHandle(validating: request.handle)
                let checkpoint = try Self.checkpoint(request.checkpoint)
                let taken = try await provider.createCheckpoint(handle, checkpoint: checkpoint)
                return ProviderV1CreateCheckpointResponse(checkpoint: ProviderV1Checkpoint(taken))
            }
        }
        router.unary(Methods.deleteCheckpoint) { (request: ProviderV1DeleteCheckpointRequest, context) in
            try await Self.serving(context) {
                try await provider.deleteCheckpoint(try Self.checkpoint(request.checkpoint))
                return ProviderV1DeleteCheckpointResponse()
            }
        }
        router.unary(Methods.recoverSession) { (request: ProviderV1RecoverSessionRequest, context) in
            try await Self.serving(context) {
                let handle = try SessionHandle(validating: request.handle)
                return ProviderV1RecoverSessionResponse(
                    status: ProviderV1SessionStatus(try await provider.recoverSession(handle)))
            }
        }
        router.unary(Methods.execute) { (request: ProviderV1ExecuteRequest, context) in
            try await Self.serving(context) {
                let handle = try SessionHandle(validating: request.handle)
                guard !request.command.isEmpty else {
                    throw APIFieldRules.invalid("command", "is required: give the program and its arguments")
                }
                let command = try APIFieldRules.texts(request.command, field: "command")
                return ProviderV1ExecuteResponse(try await provider.execute(command, in: handle))
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
