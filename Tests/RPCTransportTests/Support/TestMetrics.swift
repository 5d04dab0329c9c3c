import CoreMetrics
import Synchronization

/// A metrics factory that keeps counter values and timer samples by label and
/// dimensions, for assertions.
final class TestMetrics: MetricsFactory, Sendable {
    private let counters = Mutex<[String: Int64]>([:])
    private let timers = Mutex<[String: [Int64]]>([:])

    /// The value of a counter.
    func counter(_ label: String, _ dimensions: [(String, String)]) -> Int64 {
        counters.withLock { $0[Self.key(label, dimensions)] ?? 0 }
    }

    /// The samples of a timer.
    func timerSamples(_ label: String, _ dimensions: [(String, String)]) -> [Int64] {
        timers.withLock { $0[Self.key(label, dimensions)] ?? [] }
    }

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        ([label] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: ",")
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        Handler(key: Self.key(label, dimensions), counters: self)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        Handler(key: Self.key(label, dimensions), counters: self)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        Handler(key: Self.key(label, dimensions), counters: self)
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    private final class Handler: CounterHandler, RecorderHandler, TimerHandler, Sendable {
        let key: String
        let counters: TestMetrics

        init(key: String, counters: TestMetrics) {
            self.key = key
            self.counters = counters
        }

        func increment(by amount: Int64) { counters.counters.withLock { $0[key, default: 0] += amount } }
        func reset() { counters.counters.withLock { $0[key] = 0 } }
        func record(_ value: Int64) { recordNanoseconds(value) }
        func record(_ value: Double) { recordNanoseconds(Int64(value)) }
        func recordNanoseconds(_ duration: Int64) { counters.timers.withLock { $0[key, default: []].append(duration) } }
    }
}
