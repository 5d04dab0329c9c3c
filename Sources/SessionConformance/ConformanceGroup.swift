/// A group of conformance cases: the part of the provider contract they check.
///
/// Extensible: new groups are new static values. A case's full name is
/// `group/name`, such as `delete/twice-succeeds`; `--focus` and `--skip` match it.
public struct ConformanceGroup: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The group's name, such as `lifecycle`.
    public let rawValue: String
    /// Wraps a group name.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The name.
    public var description: String { rawValue }
    /// Orders groups by the order the suite runs them in, then by name.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        let order = Self.all
        switch (order.firstIndex(of: lhs), order.firstIndex(of: rhs)) {
        case let (left?, right?): return left < right
        case (_?, nil): return true
        case (nil, _?): return false
        case (nil, nil): return lhs.rawValue < rhs.rawValue
        }
    }

    /// Name, version, capabilities, readiness, and `UNIMPLEMENTED` without a capability.
    public static let identity = ConformanceGroup(rawValue: "identity")
    /// Creating sessions: refusals and idempotency.
    public static let create = ConformanceGroup(rawValue: "create")
    /// Describing and listing sessions.
    public static let describe = ConformanceGroup(rawValue: "describe")
    /// Running, pausing, resuming and their idempotency.
    public static let lifecycle = ConformanceGroup(rawValue: "lifecycle")
    /// Data-links mounted at `/workspace/data/<name>`.
    public static let dataLinks = ConformanceGroup(rawValue: "datalinks")
    /// Checkpoints and clones.
    public static let checkpoints = ConformanceGroup(rawValue: "checkpoints")
    /// Deleting sessions.
    public static let delete = ConformanceGroup(rawValue: "delete")
    /// Watching state changes.
    public static let watch = ConformanceGroup(rawValue: "watch")
    /// The session agent and its terminals.
    public static let terminals = ConformanceGroup(rawValue: "terminals")
    /// Concurrent calls and recovery by a restarted provider.
    public static let concurrency = ConformanceGroup(rawValue: "concurrency")

    /// Every group, in the order the suite runs them.
    public static let all: [ConformanceGroup] = [
        .identity, .create, .describe, .lifecycle, .dataLinks, .checkpoints, .delete, .watch, .terminals, .concurrency,
    ]
}
