/// Code that runs around every handler, such as authentication or logging.
///
/// Interceptors run in the order given to the server, before the request message is
/// decoded. An interceptor refuses a call by throwing an ``RPCError``; it passes the
/// call on by calling `next`, optionally with a modified context.
///
/// ```swift
/// struct RequireToken: ServerInterceptor {
///     func intercept(
///         context: ServerContext,
///         next: @Sendable (ServerContext) async throws -> Void
///     ) async throws {
///         guard context.metadata[string: "authorization"] != nil else {
///             throw RPCError(.unauthenticated, "send a bearer token in the authorization header")
///         }
///         try await next(context)
///     }
/// }
/// ```
public protocol ServerInterceptor: Sendable {
    /// Runs around the rest of the chain and the handler.
    func intercept(
        context: ServerContext,
        next: @Sendable (ServerContext) async throws -> Void
    ) async throws
}
