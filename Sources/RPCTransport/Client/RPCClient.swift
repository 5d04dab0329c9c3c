internal import NIOCore
internal import NIOPosix
internal import NIOSSL
internal import Synchronization

/// A gRPC client over HTTP/2 that multiplexes every call on one reused connection,
/// opening a new one when the old one closes or the server sends GOAWAY.
///
/// Cancelling the task that makes a call cancels the call (RST_STREAM `CANCEL`).
///
/// ```swift
/// let client = RPCClient(target: .tcp(host: "127.0.0.1", port: 50051))
/// let response: ClientResponse<HealthCheckResponse> = try await client.unary(
///     RPCMethod(service: "grpc.health.v1.Health", method: "Check"),
///     request: HealthCheckRequest(service: ""))
/// await client.close()
/// ```
public final class RPCClient: Sendable {
    private enum Slot {
        case idle
        case connecting(EventLoopFuture<ClientConnection>)
        case ready(ClientConnection)
        case closed
    }

    /// Where the client connects.
    public let target: Target
    let configuration: Configuration
    private let slot = Mutex(Slot.idle)

    /// Creates a client; it connects on the first call.
    public init(target: Target, configuration: Configuration = .defaults) {
        self.target = target
        self.configuration = configuration
    }

    /// Closes the connection. Calls in flight fail with `UNAVAILABLE`; later calls
    /// fail at once.
    public func close() async {
        let previous = slot.withLock { slot in
            defer { slot = .closed }
            return slot
        }
        switch previous {
        case .ready(let connection): try? await connection.channel.close()
        case .connecting(let future): try? await future.get().channel.close()
        case .idle, .closed: break
        }
    }

    // MARK: Call shapes

    /// Makes a call with one request and one response.
    public func unary<Request: RPCMessage, Response: RPCMessage>(
        _ method: RPCMethod,
        request: Request,
        metadata: Metadata = [:],
        options: CallOptions = .defaults,
        responseType: Response.Type = Response.self
    ) async throws -> ClientResponse<Response> {
        try await withRetryIfRefused {
            try await withCall(method, metadata: metadata, options: options) { call in
                try await call.send(request.encodeMessage())
                call.endRequests()
                return try await Self.singleResponse(of: call)
            }
        }
    }

    /// Makes a call with one request and a stream of responses, read by `body`.
    /// Returning from `body` before the stream ends cancels the rest of the call.
    public func serverStreaming<Request: RPCMessage, Response: RPCMessage, Result: Sendable>(
        _ method: RPCMethod,
        request: Request,
        metadata: Metadata = [:],
        options: CallOptions = .defaults,
        body: (ClientResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await withCall(method, metadata: metadata, options: options) { call in
            try await call.send(request.encodeMessage())
            call.endRequests()
            return try await body(ClientResponseStream(call: call))
        }
    }

    /// Makes a call with a stream of requests, written by `body`, and one response.
    public func clientStreaming<Request: RPCMessage, Response: RPCMessage>(
        _ method: RPCMethod,
        metadata: Metadata = [:],
        options: CallOptions = .defaults,
        responseType: Response.Type = Response.self,
        body: (ClientRequestWriter<Request>) async throws -> Void
    ) async throws -> ClientResponse<Response> {
        try await withCall(method, metadata: metadata, options: options) { call in
            try await body(ClientRequestWriter(call: call))
            call.endRequests()
            return try await Self.singleResponse(of: call)
        }
    }

    /// Makes a call with streams both ways. `body` writes requests and reads responses
    /// in any interleaving; requests end when it calls ``ClientRequestWriter/finish()``
    /// or returns, and returning before the responses end cancels the rest.
    public func bidirectional<Request: RPCMessage, Response: RPCMessage, Result: Sendable>(
        _ method: RPCMethod,
        metadata: Metadata = [:],
        options: CallOptions = .defaults,
        body: (ClientRequestWriter<Request>, ClientResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await withCall(method, metadata: metadata, options: options) { call in
            try await body(ClientRequestWriter(call: call), ClientResponseStream(call: call))
        }
    }

    // MARK: Internals

    /// Runs a call once more when the server refused it unprocessed, as happens when a
    /// call races a GOAWAY; the retry goes to a new connection.
    private func withRetryIfRefused<Result>(_ attempt: () async throws -> Result) async throws -> Result {
        do {
            return try await attempt()
        } catch let error as RPCError where error.cause is StreamRefused {
            return try await attempt()
        }
    }

    /// Starts a call, runs `body` with it, and makes sure the call ends: cancelled when
    /// the task is cancelled, `body` throws, or `body` returns before the response ended.
    private func withCall<Result>(
        _ method: RPCMethod,
        metadata: Metadata,
        options: CallOptions,
        body: (ClientCall) async throws -> Result
    ) async throws -> Result {
        try Task.checkCancellation()
        let call = try await startCall(method, metadata: metadata, timeout: options.timeout)
        return try await withTaskCancellationHandler {
            do {
                let result = try await body(call)
                call.endRequests()
                call.cancelIfUnfinished()
                return result
            } catch let error as RPCError {
                call.cancel(error)
                throw error
            } catch {
                call.cancel()
                throw Task.isCancelled ? RPCError(.cancelled, "the call was cancelled by the client") : error
            }
        } onCancel: {
            call.cancel()
        }
    }

    private static func singleResponse<Response: RPCMessage>(of call: ClientCall) async throws -> ClientResponse<Response> {
        guard let bytes = try await call.nextMessage() else {
            throw RPCError(.unimplemented, "the server finished the call without a response message")
        }
        guard try await call.nextMessage() == nil else {
            throw RPCError(.unimplemented, "the server sent more than one response message")
        }
        return ClientResponse(
            message: try Response.decodeMessage(bytes),
            initialMetadata: try await call.initialMetadata(),
            trailingMetadata: call.trailingMetadata)
    }

    private func startCall(_ method: RPCMethod, metadata: Metadata, timeout: Duration?) async throws -> ClientCall {
        try await withRetryIfRefused {
            let connection = try await connection()
            return try await connection.channel.eventLoop.submit {
                try connection.handler.value.startCall(method: method, metadata: metadata, timeout: timeout)
            }.get()
        }
    }

    /// The current connection, connecting when there is none that can take calls.
    private func connection() async throws -> ClientConnection {
        let future: EventLoopFuture<ClientConnection> = try slot.withLock { slot in
            switch slot {
            case .ready(let connection) where connection.status.isUsable:
                return connection.channel.eventLoop.makeSucceededFuture(connection)
            case .connecting(let future):
                return future
            case .closed:
                throw RPCError(.unavailable, "the client is closed")
            case .ready, .idle:
                let future = ClientConnection.connect(to: target, configuration: configuration)
                slot = .connecting(future)
                return future
            }
        }
        do {
            let connection = try await future.get()
            slot.withLock { slot in
                if case .connecting = slot { slot = .ready(connection) }
            }
            return connection
        } catch {
            slot.withLock { slot in
                if case .connecting = slot { slot = .idle }
            }
            throw RPCError(.unavailable, "could not connect to \(target): \(error)", cause: error)
        }
    }
}

extension ClientRequestWriter {
    /// Ends the requests (half-close); later writes fail.
    public func finish() {
        call.endRequests()
    }
}
