extension RPCClient {
    /// Makes a call of a typed method with one request and one response.
    public func unary<Request, Response>(
        _ method: TypedRPCMethod<Request, Response>,
        request: Request,
        metadata: Metadata = [:],
        options: CallOptions = .defaults
    ) async throws -> ClientResponse<Response> {
        try await unary(method.method, request: request, metadata: metadata, options: options, responseType: Response.self)
    }

    /// Makes a call of a typed method with one request and a stream of responses,
    /// read by `body`.
    public func serverStreaming<Request, Response, Result: Sendable>(
        _ method: TypedRPCMethod<Request, Response>,
        request: Request,
        metadata: Metadata = [:],
        options: CallOptions = .defaults,
        body: (ClientResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await serverStreaming(method.method, request: request, metadata: metadata, options: options, body: body)
    }

    /// Makes a call of a typed method with a stream of requests, written by `body`,
    /// and one response.
    public func clientStreaming<Request, Response>(
        _ method: TypedRPCMethod<Request, Response>,
        metadata: Metadata = [:],
        options: CallOptions = .defaults,
        body: (ClientRequestWriter<Request>) async throws -> Void
    ) async throws -> ClientResponse<Response> {
        try await clientStreaming(
            method.method, metadata: metadata, options: options, responseType: Response.self, body: body)
    }

    /// Makes a call of a typed method with streams both ways.
    public func bidirectional<Request, Response, Result: Sendable>(
        _ method: TypedRPCMethod<Request, Response>,
        metadata: Metadata = [:],
        options: CallOptions = .defaults,
        body: (ClientRequestWriter<Request>, ClientResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await bidirectional(method.method, metadata: metadata, options: options, body: body)
    }
}
