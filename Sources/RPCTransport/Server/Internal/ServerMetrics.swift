internal import Metrics
internal import Synchronization

/// Call counts by method and status code, and latencies by method. Each metric object
/// is created once and reused.
final class ServerMetrics: Sendable {
    private let factory: any MetricsFactory
    private let methods = Mutex<[RPCMethod: ServerMethodMetrics]>([:])

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// The metrics of one method, made on first use. Connections keep the result with
    /// their routes, so recording a call hashes no method name.
    func forMethod(_ method: RPCMethod) -> ServerMethodMetrics {
        methods.withLock { methods in
            if let known = methods[method] { return known }
            let metrics = ServerMethodMetrics(method: method, factory: factory)
            methods[method] = metrics
            return metrics
        }
    }
}
