import SessionSDK
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test("back-off doubles per attempt up to the largest delay, with full jitter below the bound")
    func backOffBounds() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        for (attempt, bound) in [(1, Duration.milliseconds(100)), (2, .milliseconds(200)), (4, .milliseconds(800)), (5, .seconds(1)), (60, .seconds(1))] {
            let delays = (0..<200).map { _ in policy.delay(afterAttempt: attempt) }
            #expect(delays.allSatisfy { $0 >= .zero && $0 <= bound }, "attempt \(attempt)")
            // Jitter: the delays spread over the range instead of all being the bound.
            #expect(Set(delays).count > 100, "attempt \(attempt)")
            #expect(delays.contains { $0 > bound / 2 }, "attempt \(attempt)")
        }
    }

    @Test("attempts before the first count as the first")
    func earlyAttempts() {
        let policy = RetryPolicy(baseDelay: .milliseconds(10))
        #expect((0..<50).allSatisfy { _ in policy.delay(afterAttempt: 0) <= .milliseconds(10) })
    }
}
