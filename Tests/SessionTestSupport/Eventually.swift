/// Polls `condition` every `interval` until it holds or `timeout` passes; the last
/// check runs at the deadline, so a slow machine gets the whole time.
///
/// - Returns: whether it held.
public func eventually(
    timeout: Duration, interval: Duration = .milliseconds(100), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}
