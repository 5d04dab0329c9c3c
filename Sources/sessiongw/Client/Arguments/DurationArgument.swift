import ArgumentParser
import RPCTransport

/// A duration such as `8h`, `90m`, `1h30m`, `45s` or `500ms`: numbers each followed
/// by a unit (`d`, `h`, `m`, `s`, `ms`); `0` or `none` for no duration where that
/// means "no limit".
struct DurationArgument: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    /// The duration; zero for `0` and `none`.
    var duration: Duration

    /// The duration as a session's limit, in whole seconds; nil (no limit) for zero.
    var limit: ProtobufDuration? {
        seconds > 0 ? ProtobufDuration(seconds: seconds) : nil
    }

    /// Wraps a duration.
    init(_ duration: Duration) {
        self.duration = duration
    }

    /// Parses a duration; nil when the text is not one.
    init?(argument: String) {
        let text = argument.lowercased()
        if text == "0" || text == "none" {
            self.init(.zero)
            return
        }
        var total = Duration.zero
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            let milliseconds: Double
            switch unit {
            case "ms": milliseconds = 1
            case "s": milliseconds = 1000
            case "m": milliseconds = 60_000
            case "h": milliseconds = 3_600_000
            case "d": milliseconds = 86_400_000
            default: return nil
            }
            guard let value = Double(digits), value.isFinite, value >= 0, value * milliseconds < 1e15 else { return nil }
            total += .milliseconds(Int64((value * milliseconds).rounded()))
        }
        self.init(total)
    }

    /// Whole seconds, rounded down.
    var seconds: Int64 { duration.components.seconds }

    /// `5m`, `1h30m`, `500ms`.
    var description: String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = attoseconds / 1_000_000_000_000_000
        guard seconds > 0 else { return milliseconds > 0 ? "\(milliseconds)ms" : "0" }
        return HumanUnits.duration(seconds: seconds) + (milliseconds > 0 ? "\(milliseconds)ms" : "")
    }

    /// The default shown by `--help`.
    var defaultValueDescription: String { description }
}
