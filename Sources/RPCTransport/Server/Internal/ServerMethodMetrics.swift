internal import Metrics
internal import Synchronization

/// One method's metrics: `rpc_server_call_duration`, and `rpc_server_calls_total` by
/// status code, each counter made the first time a call ends with its code.
final class ServerMethodMetrics: Sendable {
    private let method: RPCMethod
    private let factory: any MetricsFactory
    private let timer: Timer
    private let counters = Mutex<[RPCError.Code: Counter]>([:])

    init(method: RPCMethod, factory: any MetricsFactory) {
        self.method = method
        self.factory = factory
        self.timer = Timer(
            label: "rpc_server_call_duration", dimensions: [("rpc_method", method.description)], factory: factory)
    }

    /// Records one finished call.
    func record(code: RPCError.Code, duration: Duration) {
        let counter = counters.withLock { counters in
            if let counter = counters[code] { return counter }
            let counter = Counter(
                label: "rpc_server_calls_total",
                dimensions: [("rpc_method", method.description), ("rpc_code", code.description)],
                factory: factory)
            counters[code] = counter
            return counter
        }
        counter.increment()
        timer.recordNanoseconds(duration.nanoseconds)
    }
}
