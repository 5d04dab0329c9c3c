public import Logging
public import Metrics
internal import NIOCore
internal import NIOPosix
internal import NIOSSL
internal import Synchronization

/// A gRPC server over HTTP/2: libnghttp2 does the HTTP/2, SwiftNIO the sockets and TLS.
///
/// Create it with the services to serve, then call ``run()`` from a task that lives as
/// long as the server should; it returns after ``beginGracefulShutdown()`` once every
/// in-flight call has finished (or the grace period has passed). Cancelling the task
/// running ``run()`` stops the server at once, cancelling in-flight calls.
///
/// ```swift
/// let server = RPCServer(
///     configuration: .init(listeners: [.tcp(host: "127.0.0.1", port: 50051)]),
///     services: [HealthService()],
///     logger: Logger(label: "sessiongw"))
/// try await server.run()
/// ```
public final class RPCServer: Sendable {
    private struct State {
        var addresses: [String] = []
        var bound = false
        var failure: (any Error)?
        var waiters: [CheckedContinuation<[String], any Error>] = []
        var listeners: [any Channel] = []
        var connections: [ObjectIdentifier: NIOLoopBound<ServerConnectionHandler>] = [:]
        var shuttingDown = false
    }

    let configuration: Configuration
    let router: RPCRouter
    let interceptors: [any ServerInterceptor]
    let logger: Logger
    let metrics: ServerMetrics
    private let state = Mutex(State())
    private let group: MultiThreadedEventLoopGroup

    /// Creates a server; call ``run()`` to serve.
    ///
    /// - Parameters:
    ///   - configuration: listeners and limits.
    ///   - services: the services to serve; a method registered twice keeps the last.
    ///   - interceptors: run in order around every handler.
    ///   - logger: the transport's logger; each call gets one with `rpc.method` and
    ///     `rpc.peer` metadata.
    ///   - metricsFactory: where call counts (`rpc_server_calls_total`, by method and
    ///     status code) and latencies (`rpc_server_call_duration`) go; the global
    ///     factory when nil.
    public init(
        configuration: Configuration,
        services: [any RPCService],
        interceptors: [any ServerInterceptor] = [],
        logger: Logger,
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.configuration = configuration
        self.router = RPCRouter(services: services)
        self.interceptors = interceptors
        self.logger = logger
        self.metrics = ServerMetrics(factory: metricsFactory ?? MetricsSystem.factory)
        self.group = MultiThreadedEventLoopGroup.singleton
    }

    /// The addresses the server listens on, once it does (with the real port when the
    /// configuration asked for port 0), such as `h2c://127.0.0.1:50051`.
    public func listeningAddresses() async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<[String], any Error>? = state.withLock { state in
                if let failure = state.failure { return .failure(failure) }
                if state.bound { return .success(state.addresses) }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// Binds every listener and serves until shut down.
    public func run() async throws {
        do {
            try await withThrowingDiscardingTaskGroup { group in
                for listener in configuration.listeners {
                    let channel = try await bind(listener)
                    group.addTask { try await self.accept(on: channel) }
                }
                let (waiters, addresses, shuttingDown) = state.withLock { state in
                    state.bound = true
                    defer { state.waiters = [] }
                    return (state.waiters, state.addresses, state.shuttingDown)
                }
                for address in addresses { logger.info("listening", metadata: ["rpc.address": "\(address)"]) }
                for waiter in waiters { waiter.resume(returning: addresses) }
                if shuttingDown { beginGracefulShutdown() }
            }
        } catch {
            let waiters = state.withLock { state in
                state.failure = error
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(throwing: error) }
            throw error
        }
    }

    /// Stops accepting connections, sends GOAWAY on every connection, lets in-flight
    /// calls finish within the grace period, then closes. ``run()`` returns when done.
    public func beginGracefulShutdown() {
        let (listeners, connections) = state.withLock { state in
            state.shuttingDown = true
            return (state.listeners, Array(state.connections.values))
        }
        for listener in listeners { listener.close(promise: nil) }
        let deadline = NIODeadline.now() + .nanoseconds(configuration.shutdownGracePeriod.nanoseconds)
        for connection in connections {
            connection.eventLoop.execute { connection.value.beginGracefulShutdown(deadline: deadline) }
        }
    }

    func recordListener(_ channel: any Channel, address: String) {
        state.withLock { state in
            state.listeners.append(channel)
            state.addresses.append(address)
        }
    }

    // MARK: Connections

    private func accept(on channel: NIOAsyncChannel<AcceptedConnection, Never>) async throws {
        try await channel.executeThenClose { inbound in
            await withDiscardingTaskGroup { group in
                do {
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                } catch {
                    logger.debug("listener stopped", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    private func serve(_ connection: AcceptedConnection) async {
        let key = ObjectIdentifier(connection.channel)
        let shuttingDown = state.withLock { state in
            state.connections[key] = connection.handler
            return state.shuttingDown
        }
        if shuttingDown {
            let deadline = NIODeadline.now() + .nanoseconds(configuration.shutdownGracePeriod.nanoseconds)
            connection.handler.eventLoop.execute { connection.handler.value.beginGracefulShutdown(deadline: deadline) }
        }
        if configuration.runsHandlersOnEventLoops {
            // The loop taking calls runs on the connection's event loop too, and starts
            // each handler there at once: a call reaches its handler without leaving the
            // thread that read it, and without waiting for another turn of the loop.
            let executor = EventLoopTaskExecutor(eventLoop: connection.handler.eventLoop)
            await withTaskExecutorPreference(executor) {
                await withDiscardingTaskGroup { group in
                    var batch: [ServerCall] = []
                    while await connection.calls.take(into: &batch) {
                        for call in batch {
                            group.addImmediateTask(executorPreference: executor) { await self.execute(call) }
                        }
                        batch.removeAll(keepingCapacity: true)
                    }
                }
            }
        } else {
            await withDiscardingTaskGroup { group in
                var batch: [ServerCall] = []
                while await connection.calls.take(into: &batch) {
                    for call in batch { group.addTask { await self.execute(call) } }
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        _ = state.withLock { $0.connections.removeValue(forKey: key) }
    }

    // MARK: Calls

    private nonisolated(nonsending) func execute(_ call: ServerCall) async {
        let start = ContinuousClock.now
        var code = RPCError.Code.ok
        await call.handle.bridge.withTaskRegistered {
            do {
                try await intercept(call.context, from: 0) { context in
                    try await call.handler(call.handle, context)
                }
            } catch let error as RPCError {
                code = error.code
                await call.handle.finish(lastMessage: nil, status: error)
            } catch is CancellationError {
                code = .cancelled
                await call.handle.finish(lastMessage: nil, status: RPCError(.cancelled, "the call was cancelled"))
            } catch {
                let correlationID = Self.correlationID()
                call.context.logger.error(
                    "handler failed", metadata: ["error": "\(error)", "rpc.correlation_id": "\(correlationID)"])
                code = .internalError
                await call.handle.finish(lastMessage: nil, status: RPCError(
                    .internalError, "internal error (correlation id \(correlationID))", cause: error))
            }
        }
        call.metrics.record(code: code, duration: ContinuousClock.now - start)
    }

    private nonisolated(nonsending) func intercept(
        _ context: ServerContext,
        from index: Int,
        handler: nonisolated(nonsending) @Sendable (ServerContext) async throws -> Void
    ) async throws {
        guard index < interceptors.count else { return try await handler(context) }
        try await interceptors[index].intercept(context: context) { context in
            try await self.intercept(context, from: index + 1, handler: handler)
        }
    }

    private static func correlationID() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }
}
