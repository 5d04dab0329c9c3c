public import SessionSDK

/// Which sessions a listing returns. Every field that is set must match; an empty
/// filter matches every session of the workspace.
public struct SessionFilter: Hashable, Sendable {
    /// Sessions in any of these states; every state when empty.
    public var states: Set<SessionState>
    /// Sessions on this compute environment (the backend instance), when set.
    public var computeEnvironment: String?
    /// Sessions that have every one of these labels with exactly this value. A session
    /// with more labels matches; one with a different value, or without the key, does not.
    public var labels: [String: String]
    /// Sessions created by this owner, when set.
    public var owner: String?

    /// Creates a filter.
    public init(
        states: Set<SessionState> = [], computeEnvironment: String? = nil, labels: [String: String] = [:],
        owner: String? = nil
    ) {
        self.states = states
        self.computeEnvironment = computeEnvironment
        self.labels = labels
        self.owner = owner
    }

    /// Every field as text, in a fixed order, for page-token fingerprints.
    var canonicalParts: [String] {
        var parts = ["states"] + states.map(\.rawValue).sorted()
        parts += ["environment", computeEnvironment.map { "=" + $0 } ?? "", "owner", owner.map { "=" + $0 } ?? ""]
        parts.append("labels")
        for key in labels.keys.sorted() { parts += [key, labels[key] ?? ""] }
        return parts
    }
}
