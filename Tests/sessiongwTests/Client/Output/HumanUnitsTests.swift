import SessionAPI
import Testing
@testable import sessiongw

@Suite struct HumanUnitsTests {
    @Test(arguments: [
        (Int64(0), "0 B"), (512, "512 B"), (1536, "1.5 KiB"), (5 << 30, "5 GiB"), (105, "105 B"),
        (32_212_254_720, "30 GiB"), (Int64(1) << 40, "1 TiB"),
    ] as [(Int64, String)])
    func bytes(count: Int64, expected: String) {
        #expect(HumanUnits.bytes(count) == expected)
    }

    @Test(arguments: [
        (0.0, "0s"), (59.9, "59s"), (60, "1m"), (3599, "59m"), (3600, "1h"), (47 * 3600, "47h"),
        (48 * 3600, "2d"), (-5, "0s"),
    ] as [(Double, String)])
    func ageCountsDown(seconds: Double, expected: String) {
        #expect(HumanUnits.age(of: 1000, now: 1000 + seconds) == expected)
    }

    @Test(arguments: [(Int64(0), "none"), (45, "45s"), (8 * 3600, "8h"), (5400, "1h30m"), (90061, "1d1h1m1s")] as [(Int64, String)])
    func durationLimit(seconds: Int64, expected: String) {
        #expect(HumanUnits.duration(seconds: seconds) == expected)
    }

    @Test(arguments: [
        (0.0, "-"), (1.0, "1970-01-01T00:00:01Z"), (951_782_400, "2000-02-29T00:00:00Z"),
        (1_795_266_226.52, "2026-11-21T13:03:46Z"), (4_107_542_399, "2100-02-28T23:59:59Z"),
    ] as [(Double, String)])
    func timestampIsUTCISO8601(seconds: Double, expected: String) {
        #expect(HumanUnits.timestamp(seconds) == expected)
    }

    @Test(arguments: [
        (0.0, "USD", "0.00 USD"), (12.346, "USD", "12.35 USD"), (3, "EUR", "3.00 EUR"), (0.5, "USD", "0.50 USD"),
        (0.0125, "USD", "0.0125 USD"), (0.00004, "USD", "0.00 USD"), (5, "", "-"),
    ] as [(Double, String, String)])
    func money(amount: Double, currency: String, expected: String) {
        #expect(HumanUnits.money(amount, currency: currency) == expected)
    }

    @Test func resources() {
        #expect(HumanUnits.resources(V1Resources(cpuMillis: 2000, memoryBytes: 8 << 30)) == "2 CPU / 8 GiB")
        #expect(HumanUnits.resources(V1Resources(cpuMillis: 500, memoryBytes: 512 << 20, gpus: 1))
            == "0.5 CPU / 512 MiB / 1 GPU")
    }

    @Test func elapsedHasTenths() {
        #expect(HumanUnits.elapsed(.milliseconds(1234)) == "1.2s")
        #expect(HumanUnits.elapsed(.zero) == "0.0s")
    }
}
