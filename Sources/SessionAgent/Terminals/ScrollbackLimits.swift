/// How much output history a terminal keeps: at most `maximumLines` lines and
/// `maximumBytes` bytes, the oldest dropped first.
public struct ScrollbackLimits: Hashable, Sendable {
    /// Lines kept; at least 1.
    public var maximumLines: Int
    /// Bytes kept; at least 1.
    public var maximumBytes: Int

    /// Limits; zero or less becomes 1.
    public init(maximumLines: Int, maximumBytes: Int) {
        self.maximumLines = max(1, maximumLines)
        self.maximumBytes = max(1, maximumBytes)
    }

    /// 10,000 lines or 2 MiB, whichever is less.
    public static let defaults = ScrollbackLimits(maximumLines: 10_000, maximumBytes: 2 << 20)
}
