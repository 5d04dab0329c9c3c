extension RPCRouter {
    /// Registers a call with one request and one response of a typed method.
    public mutating func unary<Request, Response>(
        _ method: TypedRPCMethod<Request, Response>,
        handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        unary(method.method, handler: handler)
    }

    /// Registers a call with a stream of requests and one response of a typed method.
    public mutating func clientStreaming<Request, Response>(
        _ method: TypedRPCMethod<Request, Response>,
        handler: @escaping @Sendable (ServerRequestStream<Request>, ServerContext) async throws -> Response
    ) {
        clientStreaming(method.method, handler: handler)
    }

    /// Registers a call with one request and a stream of responses of a typed method.
    public mutating func serverStreaming<Request, Response>(
        _ method: TypedRPCMethod<Request, Response>,
        handler: @escaping @Sendable (Request, ServerResponseWriter<Response>, ServerContext) async throws -> Void
    ) {
        serverStreaming(method.method, handler: handler)
    }

    /// Registers a call with streams in both directions of a typed method.
    public mutating func bidirectional<Request, Response>(
        _ method: TypedRPCMethod<Request, Response>,
        handler: @escaping @Sendable (
            ServerRequestStream<Request>, ServerResponseWriter<Response>, ServerContext
        ) async throws -> Void
    ) {
        bidirectional(method.method, handler: handler)
    }
}
