import SessionSDK
import Synchronization

/// What a watch stream yielded so far, filled by a reader task while a case acts on
/// sessions, and searched by the case.
final class WatchLog: Sendable {
    private struct State: Sendable {
        var statuses: [ProviderSessionStatus] = []
        var ending: String?
    }

    private let state = Mutex(State())

    init() {}

    /// Reads `stream` into the log until it ends, fails or the task is cancelled.
    func read(_ stream: AsyncThrowingStream<ProviderSessionStatus, any Error>) async {
        do {
            for try await status in stream {
                state.withLock { $0.statuses.append(status) }
            }
            state.withLock { $0.ending = "the stream ended" }
        } catch {
            state.withLock { $0.ending = "the stream failed with \(error)" }
        }
    }

    /// The states yielded for one session, in order.
    func states(of id: SessionID) -> [SessionState] {
        state.withLock { $0.statuses.filter { $0.sessionID == id }.map(\.state) }
    }

    /// How the stream ended, or nil while it is open.
    var ending: String? { state.withLock { $0.ending } }

    /// How many statuses were yielded.
    var count: Int { state.withLock { $0.statuses.count } }

    /// Waits until `condition` holds for the states of `id`, polling.
    ///
    /// - Throws: a ``CaseFailure`` when the stream ends first or `timeout` passes.
    func waitUntil(
        _ id: SessionID, _ what: String, timeout: Duration, poll: Duration, _ condition: ([SessionState]) -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let states = states(of: id)
            if condition(states) { return }
            if let ending {
                throw CaseFailure("\(ending) before \(what); it yielded \(states.map(\.rawValue)) for session '\(id)'")
            }
            guard clock.now < deadline else {
                throw CaseFailure("the watch did not report \(what) within \(timeout); it yielded \(states.map(\.rawValue)) for session '\(id)'")
            }
            try await Task.sleep(for: poll)
        }
    }

    /// Runs `body` while a child task reads the provider's watch stream into a log,
    /// then cancels the reader and waits for it.
    static func watching<Result: Sendable>(
        _ provider: any SessionProvider, _ body: (WatchLog) async throws -> Result
    ) async throws -> Result {
        let log = WatchLog()
        let stream = provider.watchSessions()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await log.read(stream) }
            do {
                let result = try await body(log)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}
