public import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// Authenticates every call but `grpc.health.v1.Health` with an ``Authenticator`` and
/// attaches the ``Principal`` to the call (``ServerContext/principal``). Whether the
/// caller may make the call is decided per workspace by ``AccessControl``.
public struct AuthenticationInterceptor: ServerInterceptor {
    let authenticator: Authenticator

    /// Creates the interceptor.
    public init(authenticator: Authenticator) {
        self.authenticator = authenticator
    }

    public func intercept(
        context: ServerContext, next: @Sendable (ServerContext) async throws -> Void
    ) async throws {
        guard context.method.service != HealthService.serviceName else { return try await next(context) }
        var context = context
        do throws(SessionError) {
            context.attributes[PrincipalKey.self] = try await authenticator.authenticate(
                authorization: context.metadata[string: "authorization"],
                clientCertificate: context.clientCertificateCommonName)
        } catch {
            throw error.rpcError
        }
        try await next(context)
    }
}

/// Where the interceptor keeps the principal.
enum PrincipalKey: ServerContext.AttributeKey {
    typealias Value = Principal
}

extension ServerContext {
    /// The authenticated caller; nil only for calls the interceptor lets through
    /// unauthenticated (health checks).
    public var principal: Principal? { attributes[PrincipalKey.self] }
}
