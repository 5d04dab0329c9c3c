/// The table from method to handler that a server dispatches calls with.
///
/// Services add their methods with one of the four call shapes. Registering the same
/// method twice replaces the earlier handler.
public struct RPCRouter: Sendable {
    /// A handler working on bytes, with typed decoding done inside.
    typealias Handler = nonisolated(nonsending) @Sendable (any ServerStreamIO, ServerContext) async throws -> Void

    private(set) var handlers: [String: Handler] = [:]
    private(set) var methods: [RPCMethod] = []

    /// Creates an empty router.
    public init() {}

    /// Creates a router with the methods of `services`.
    public init(services: [any RPCService]) {
        for service in services { service.registerMethods(with: &self) }
    }

    /// The fully qualified names of the registered services, sorted.
    public var serviceNames: [String] {
        Array(Set(methods.map(\.service))).sorted()
    }

    /// The handler for a `:path`, if one is registered.
    func handler(forPath path: String) -> Handler? { handlers[path] }

    /// Whether any method of `service` is registered.
    func hasService(_ service: String) -> Bool { methods.contains { $0.service == service } }

    private mutating func add(_ method: RPCMethod, _ handler: @escaping Handler) {
        if handlers.updateValue(handler, forKey: method.path) == nil { methods.append(method) }
    }

    /// Registers a call with one request and one response.
    public mutating func unary<Request: RPCMessage, Response: RPCMessage>(
        _ method: RPCMethod,
        handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        add(method) { io, context in
            let request = try await Self.singleRequest(Request.self, from: io)
            let response = try await handler(request, context)
            await io.finish(lastMessage: try response.encodeMessage(), status: nil)
        }
    }

    /// Registers a call with a stream of requests and one response.
    public mutating func clientStreaming<Request: RPCMessage, Response: RPCMessage>(
        _ method: RPCMethod,
        handler: @escaping @Sendable (ServerRequestStream<Request>, ServerContext) async throws -> Response
    ) {
        add(method) { io, context in
            let response = try await handler(ServerRequestStream(io: io), context)
            await io.finish(lastMessage: try response.encodeMessage(), status: nil)
        }
    }

    /// Registers a call with one request and a stream of responses.
    public mutating func serverStreaming<Request: RPCMessage, Response: RPCMessage>(
        _ method: RPCMethod,
        handler: @escaping @Sendable (Request, ServerResponseWriter<Response>, ServerContext) async throws -> Void
    ) {
        add(method) { io, context in
            let request = try await Self.singleRequest(Request.self, from: io)
            try await handler(request, ServerResponseWriter(io: io), context)
            await io.finish(lastMessage: nil, status: nil)
        }
    }

    /// Registers a call with streams in both directions.
    public mutating func bidirectional<Request: RPCMessage, Response: RPCMessage>(
        _ method: RPCMethod,
        handler: @escaping @Sendable (
            ServerRequestStream<Request>, ServerResponseWriter<Response>, ServerContext
        ) async throws -> Void
    ) {
        add(method) { io, context in
            try await handler(ServerRequestStream(io: io), ServerResponseWriter(io: io), context)
            await io.finish(lastMessage: nil, status: nil)
        }
    }

    /// Reads exactly one request message, as unary and server-streaming calls require.
    private static nonisolated(nonsending) func singleRequest<Request: RPCMessage>(
        _ type: Request.Type,
        from io: any ServerStreamIO
    ) async throws -> Request {
        guard let bytes = try await io.nextMessage() else {
            throw RPCError(.unimplemented, "expected one request message, received none")
        }
        guard try await io.nextMessage() == nil else {
            throw RPCError(.unimplemented, "expected one request message, received more")
        }
        return try Request.decodeMessage(bytes)
    }
}
