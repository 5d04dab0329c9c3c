/// Runs work with a time limit, under structured concurrency.
enum TimeLimit {
    /// The result of `body`, or nil when it does not finish within `limit` (it is then
    /// cancelled, and this returns once it has ended).
    static func run<Result: Sendable>(
        _ limit: Duration, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result? {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }
}
