import SessionAPI

/// Sizes, times and compute in the short forms people read in tables.
enum HumanUnits {
    /// `0 B`, `512 B`, `1.5 KiB`, `5 GiB`: binary units, at most one decimal.
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(count)
        var unit = 0
        while abs(value) >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return "\(decimal(value)) \(units[unit])"
    }

    /// How long ago `time` was at `now`, in the largest whole unit: `42s`, `5m`, `3h`,
    /// `2d` (hours up to 48); `0s` for a time in the future.
    static func age(of time: Double, now: Double) -> String {
        let seconds = max(0, Int64((now - time).rounded(.down)))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m"
        case ..<(48 * 3600): return "\(seconds / 3600)h"
        default: return "\(seconds / 86400)d"
        }
    }

    /// A duration limit: `8h`, `1h30m`, `45s`; `none` for 0.
    static func duration(seconds: Int64) -> String {
        guard seconds > 0 else { return "none" }
        let parts: [(Int64, String)] = [(seconds / 86400, "d"), (seconds / 3600 % 24, "h"), (seconds / 60 % 60, "m"), (seconds % 60, "s")]
        return parts.filter { $0.0 > 0 }.map { "\($0.0)\($0.1)" }.joined()
    }

    /// Elapsed time with a tenth of a second: `0.2s`, `12.0s`.
    static func elapsed(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = seconds * 10 + attoseconds / 100_000_000_000_000_000
        return "\(tenths / 10).\(tenths % 10)s"
    }

    /// A time in UTC as ISO 8601 to the second: `2024-05-01T12:00:00Z`; `-` for 0.
    static func timestamp(_ seconds: Double) -> String {
        guard seconds > 0, seconds.isFinite else { return "-" }
        let whole = Int64(seconds.rounded(.down))
        let days = whole >= 0 ? whole / 86400 : (whole - 86399) / 86400
        let secondOfDay = whole - days * 86400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    /// Compute: `2 CPU / 8 GiB / 1 GPU`, with fractional CPUs as `0.5 CPU`.
    static func resources(_ resources: V1Resources) -> String {
        let cpu = "\(decimal(Double(resources.cpuMillis) / 1000, places: 3)) CPU"
        let memory = bytes(resources.memoryBytes)
        return resources.gpus > 0 ? "\(cpu) / \(memory) / \(resources.gpus) GPU" : "\(cpu) / \(memory)"
    }

    /// An amount of money: `12.34 USD`, with four decimals below one unit (`0.0125 USD`)
    /// so that small hourly rates do not show as zero; without a currency (an
    /// environment without prices), `-`.
    static func money(_ amount: Double, currency: String) -> String {
        guard !currency.isEmpty else { return "-" }
        let places = abs(amount) < 1 && amount != 0 ? 4 : 2
        var text = decimal(amount, places: places)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < 2 { text += String(repeating: "0", count: 2 - decimals) }
        } else {
            text += ".00"
        }
        return "\(text) \(currency)"
    }

    /// A number with at most `places` decimals and no trailing zeros.
    static func decimal(_ value: Double, places: Int = 1) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((abs(value) * Double(scale)).rounded())
        let sign = value < 0 && scaled > 0 ? "-" : ""
        var fraction = scaled % scale
        guard fraction > 0 else { return sign + String(scaled / scale) }
        var digits = places
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        return "\(sign)\(scaled / scale).\(pad(fraction, digits))"
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's
    /// `civil_from_days`).
    private static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
