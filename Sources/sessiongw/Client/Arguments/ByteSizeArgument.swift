import ArgumentParser

/// A size such as `5GiB`, `512Mi`, `2G` or `1048576`: binary units `KiB` `MiB` `GiB`
/// `TiB` (also `Ki` `Mi` `Gi` `Ti`), decimal units `K` `M` `G` `T`, or bytes with `B`
/// or no unit; case-insensitive; fractions allowed (`1.5GiB`); more than 0.
struct ByteSizeArgument: ExpressibleByArgument, Sendable, Equatable {
    /// The size in bytes.
    var bytes: Int64

    /// Wraps a size in bytes.
    init(bytes: Int64) {
        self.bytes = bytes
    }

    /// Parses a size; nil when the text is not one or is 0, negative or too large.
    init?(argument: String) {
        let text = argument.filter { $0 != " " }.lowercased()
        let kibi = 1024.0
        let units: [(String, Double)] = [
            ("kib", kibi), ("mib", kibi * kibi), ("gib", kibi * kibi * kibi), ("tib", kibi * kibi * kibi * kibi),
            ("ki", kibi), ("mi", kibi * kibi), ("gi", kibi * kibi * kibi), ("ti", kibi * kibi * kibi * kibi),
            ("kb", 1e3), ("mb", 1e6), ("gb", 1e9), ("tb", 1e12),
            ("k", 1e3), ("m", 1e6), ("g", 1e9), ("t", 1e12), ("b", 1),
        ]
        let (number, scale) = units.first { text.hasSuffix($0.0) }
            .map { (text.dropLast($0.0.count), $0.1) } ?? (Substring(text), 1)
        guard let value = Double(number), value.isFinite, value > 0,
              value * scale < Double(Int64.max), (value * scale).rounded() >= 1
        else { return nil }
        self.bytes = Int64((value * scale).rounded())
    }
}
