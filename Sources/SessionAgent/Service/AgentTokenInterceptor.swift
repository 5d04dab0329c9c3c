public import RPCTransport

/// Lets a call through only with `authorization: Bearer TOKEN` metadata carrying the
/// session's agent token (compared in constant time); health checks pass without it.
/// Anything else is `UNAUTHENTICATED`, with no hint of the token.
public struct AgentTokenInterceptor: ServerInterceptor {
    private let expected: [UInt8]

    /// An interceptor for `token`, which must not be empty.
    public init(token: String) {
        precondition(!token.isEmpty, "an agent token must not be empty")
        expected = Array("Bearer \(token)".utf8)
    }

    public func intercept(
        context: ServerContext, next: @Sendable (ServerContext) async throws -> Void
    ) async throws {
        guard context.method.service != HealthService.serviceName else { return try await next(context) }
        guard let given = context.metadata[string: "authorization"], Self.equal(Array(given.utf8), expected) else {
            throw RPCError(.unauthenticated, "this agent needs 'authorization: Bearer <the session's agent token>'")
        }
        try await next(context)
    }

    /// Whether `a` and `b` are equal, in time that depends only on their lengths.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
