@testable import RPCTransport
import Testing

struct GRPCTimeoutTests {
    @Test(arguments: [
        ("2H", Duration.seconds(7200)), ("3M", .seconds(180)), ("10S", .seconds(10)),
        ("250m", .milliseconds(250)), ("1500u", .microseconds(1500)), ("99999999n", .nanoseconds(99_999_999)),
        ("0S", .zero),
    ])
    func everyUnitParses(value: String, expected: Duration) {
        #expect(GRPCTimeout.parse(value) == expected)
    }

    @Test(arguments: ["", "S", "10", "1x", "-1S", "123456789S", "1.5S", " 1S"])
    func malformedValuesAreRefused(value: String) {
        #expect(GRPCTimeout.parse(value) == nil)
    }

    @Test(arguments: [Duration.milliseconds(1), .seconds(30), .nanoseconds(7), .seconds(3 * 3600), .milliseconds(1500)])
    func encodingRoundTripsWithoutLosingTime(duration: Duration) throws {
        let encoded = GRPCTimeout.encode(duration)
        #expect(encoded.utf8.count <= 9)
        let decoded = try #require(GRPCTimeout.parse(encoded))
        #expect(decoded >= duration)
    }
}
