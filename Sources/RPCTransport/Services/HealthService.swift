internal import Synchronization

/// The gRPC health-checking protocol (`grpc.health.v1.Health`): `Check` answers a
/// service's current status, `Watch` streams it and every change after.
///
/// The empty service name `""` stands for the whole server and starts as
/// ``ServingStatus-swift.enum/serving``; other services are unknown until a status is
/// set for them. `Check` for an unknown service fails with `NOT_FOUND`; `Watch` for one
/// answers `SERVICE_UNKNOWN` and waits for a status to be set. A watch ends when the
/// caller cancels it.
///
/// ```swift
/// let health = HealthService()
/// health.setStatus(.notServing, forService: "sessiongw.v1.SessionService")
/// let server = RPCServer(configuration: .defaults, services: [health, sessions], logger: logger)
/// ```
public final class HealthService: RPCService, Sendable {
    /// Whether a service takes calls.
    public enum ServingStatus: Sendable, Hashable {
        /// Not known yet, for example while the service starts.
        case unknown
        /// Taking calls.
        case serving
        /// Not taking calls.
        case notServing
    }

    /// The fully qualified service name.
    public static let serviceName = "grpc.health.v1.Health"

    private typealias Watcher = AsyncStream<HealthCheckResponse.ServingStatus>.Continuation

    private struct State {
        var statuses: [String: ServingStatus] = ["": .serving]
        var watchers: [String: [Int: Watcher]] = [:]
        var nextWatcherID = 0
    }

    private let state = Mutex(State())

    /// Creates the service with the server as a whole serving and no other service
    /// known.
    public init() {}

    /// Sets a service's status and tells every watcher of it. Use `""` for the whole
    /// server.
    public func setStatus(_ status: ServingStatus, forService service: String) {
        state.withLock { state in
            state.statuses[service] = status
            // Yielding under the lock keeps every watcher's updates in the order set.
            for watcher in state.watchers[service, default: [:]].values {
                watcher.yield(HealthCheckResponse.ServingStatus(status))
            }
        }
    }

    /// Registers `Check` and `Watch`.
    public func registerMethods(with router: inout RPCRouter) {
        router.unary(RPCMethod(service: Self.serviceName, method: "Check")) {
            (request: HealthCheckRequest, _: ServerContext) in
            try self.check(request)
        }
        router.serverStreaming(RPCMethod(service: Self.serviceName, method: "Watch")) {
            (request: HealthCheckRequest, responses: ServerResponseWriter<HealthCheckResponse>, _: ServerContext) in
            try await self.watch(request, responses: responses)
        }
    }

    /// The current status of the requested service; `NOT_FOUND` when none is set.
    func check(_ request: HealthCheckRequest) throws -> HealthCheckResponse {
        guard let status = state.withLock({ $0.statuses[request.service] }) else {
            throw RPCError(.notFound, "no health status is known for service \"\(request.service)\"")
        }
        return HealthCheckResponse(status: HealthCheckResponse.ServingStatus(status))
    }

    /// Sends the current status, then each change, until the task is cancelled.
    func watch(_ request: HealthCheckRequest, responses: ServerResponseWriter<HealthCheckResponse>) async throws {
        var lastSent: HealthCheckResponse.ServingStatus?
        for await status in updates(forService: request.service) where status != lastSent {
            try await responses.write(HealthCheckResponse(status: status))
            lastSent = status
        }
        throw RPCError(.cancelled, "the health watch of \"\(request.service)\" was cancelled")
    }

    /// The status of a service now and after every change; `SERVICE_UNKNOWN` while
    /// none is set. When the consumer stops iterating, the watcher is removed.
    ///
    /// Only the newest undelivered status is kept, so a slow watcher skips
    /// intermediate statuses but always ends up with the current one.
    func updates(forService service: String) -> AsyncStream<HealthCheckResponse.ServingStatus> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: HealthCheckResponse.ServingStatus.self,
            bufferingPolicy: .bufferingNewest(1)
        )
        let id = state.withLock { state in
            let id = state.nextWatcherID
            state.nextWatcherID += 1
            state.watchers[service, default: [:]][id] = continuation
            continuation.yield(state.statuses[service].map(HealthCheckResponse.ServingStatus.init) ?? .serviceUnknown)
            return id
        }
        continuation.onTermination = { [weak self] _ in
            self?.removeWatcher(id, ofService: service)
        }
        return stream
    }

    /// How many watchers are registered, across all services.
    var watcherCount: Int {
        state.withLock { $0.watchers.values.reduce(0) { $0 + $1.count } }
    }

    private func removeWatcher(_ id: Int, ofService service: String) {
        state.withLock { state in
            state.watchers[service]?[id] = nil
            if state.watchers[service]?.isEmpty == true { state.watchers[service] = nil }
        }
    }
}

extension HealthCheckResponse.ServingStatus {
    /// The wire status for a public status.
    init(_ status: HealthService.ServingStatus) {
        switch status {
        case .unknown: self = .unknown
        case .serving: self = .serving
        case .notServing: self = .notServing
        }
    }
}
