/// The `grpc-timeout` header: at most 8 digits and a unit (`H`, `M`, `S`, `m`, `u`, `n`).
enum GRPCTimeout {
    /// Parses a header value; nil when it is not a valid timeout.
    static func parse(_ value: some StringProtocol) -> Duration? {
        let utf8 = Array(value.utf8)
        guard (2...9).contains(utf8.count), let unit = utf8.last else { return nil }
        var amount: Int64 = 0
        for digit in utf8.dropLast() {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            amount = amount * 10 + Int64(digit - UInt8(ascii: "0"))
        }
        switch unit {
        case UInt8(ascii: "H"): return .seconds(amount * 3600)
        case UInt8(ascii: "M"): return .seconds(amount * 60)
        case UInt8(ascii: "S"): return .seconds(amount)
        case UInt8(ascii: "m"): return .milliseconds(amount)
        case UInt8(ascii: "u"): return .microseconds(amount)
        case UInt8(ascii: "n"): return .nanoseconds(amount)
        default: return nil
        }
    }

    /// Encodes a duration in the finest unit that fits in 8 digits, rounding up so the
    /// server never sees less time than the client allows.
    static func encode(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        let units: [(Int64, String)] = [(1, "n"), (1_000, "u"), (1_000_000, "m"), (1_000_000_000, "S"),
                                        (60_000_000_000, "M"), (3_600_000_000_000, "H")]
        for (scale, unit) in units {
            let amount = (nanoseconds + scale - 1) / scale
            if amount < 100_000_000 { return "\(amount)\(unit)" }
        }
        return "99999999H"
    }
}
