internal import Metrics
internal import Synchronization

/// Call counts by method and status code, and latencies by method. Each metric object
/// is created once and reused.
final class ServerMetrics: Sendable {
    private struct Key: Hashable {
        var method: RPCMethod
        var code: RPCError.Code
    }

    private let factory: any MetricsFactory
    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[RPCMethod: Timer]>([:])

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Records one finished call.
    func record(method: RPCMethod, code: RPCError.Code, duration: Duration) {
        let counter = counters.withLock { counters in
            let key = Key(method: method, code: code)
            if let counter = counters[key] { return counter }
            let counter = Counter(
                label: "rpc_server_calls_total",
                dimensions: [("rpc_method", method.description), ("rpc_code", code.description)],
                factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
        let timer = timers.withLock { timers in
            if let timer = timers[method] { return timer }
            let timer = Timer(
                label: "rpc_server_call_duration", dimensions: [("rpc_method", method.description)], factory: factory)
            timers[method] = timer
            return timer
        }
        timer.recordNanoseconds(duration.nanoseconds)
    }
}
