public import RPCTransport

/// Requires the administrator token (`authorization: Bearer TOKEN`) on every call but
/// `grpc.health.v1.Health`. Refusals never echo what was sent.
public struct BearerTokenInterceptor: ServerInterceptor {
    let token: AdminToken

    /// Creates the interceptor.
    public init(token: AdminToken) {
        self.token = token
    }

    public func intercept(
        context: ServerContext, next: @Sendable (ServerContext) async throws -> Void
    ) async throws {
        guard context.method.service != HealthService.serviceName else { return try await next(context) }
        guard let header = context.metadata[string: "authorization"] else {
            throw RPCError(
                .unauthenticated,
                "this call needs 'authorization: Bearer TOKEN' metadata; the administrator token is in \(token.path)")
        }
        let prefix = "bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix),
              token.matches(String(header.dropFirst(prefix.count)))
        else {
            throw RPCError(.unauthenticated, "the bearer token is not valid")
        }
        try await next(context)
    }
}
