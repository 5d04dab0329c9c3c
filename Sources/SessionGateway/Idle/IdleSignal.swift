/// Something that shows a person or their work is using a running session. A session
/// is idle when every signal it is judged by has been quiet for its ``IdlePolicy``'s
/// time.
public enum IdleSignal: String, Hashable, Sendable, CaseIterable, Comparable {
    /// The session's processes use at least the policy's CPU threshold.
    case cpu
    /// One of its GPUs is busy at least the policy's GPU threshold.
    case gpu
    /// Someone is connected to it through the connection proxy.
    case connections
    /// Its Jupyter server's kernels run code, or its Jupyter terminals are used.
    case ide
    /// Someone types into one of its terminals or attaches to one.
    case terminal

    /// The signals a session is judged by when its policy names none: a session whose
    /// agent reports GPU utilization by its GPUs alone (an idle GPU is the cost worth
    /// stopping, whatever else happens), any other by everything else.
    public static func defaults(hasGPU: Bool) -> Set<IdleSignal> {
        hasGPU ? [.gpu] : [.cpu, .connections, .ide, .terminal]
    }

    /// In declaration order.
    public static func < (lhs: IdleSignal, rhs: IdleSignal) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
