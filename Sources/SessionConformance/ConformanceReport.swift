public import SessionSDK

/// What a conformance run found: every case with its outcome and duration, and any
/// resource the suite made but could not remove.
///
/// ```swift
/// let report = await ConformanceSuite(configuration: configuration).run()
/// print(report.summary)                       // 38 passed, 0 failed, 9 skipped
/// try report.junitXML().write(toFile: "reports/conformance-slurm.xml", atomically: true, encoding: .utf8)
/// ```
public struct ConformanceReport: Sendable {
    /// How a case ended.
    public enum Outcome: Hashable, Sendable, CustomStringConvertible {
        /// The provider kept the rule.
        case passed
        /// The provider broke the rule; the message starts with the rule and says how.
        case failed(String)
        /// The case did not run; the reason says why, such as
        /// "capability CHECKPOINTS absent".
        case skipped(String)

        /// `passed`, `failed: MESSAGE` or `skipped: REASON`.
        public var description: String {
            switch self {
            case .passed: "passed"
            case .failed(let message): "failed: \(message)"
            case .skipped(let reason): "skipped: \(reason)"
            }
        }
    }

    /// One case's result.
    public struct CaseResult: Sendable, Identifiable {
        /// The case's group.
        public var group: ConformanceGroup
        /// The case's name in its group.
        public var name: String
        /// The rule it checks.
        public var rule: String
        /// How it ended.
        public var outcome: Outcome
        /// How long it took, clean-up included.
        public var duration: Duration

        /// Creates a result.
        public init(group: ConformanceGroup, name: String, rule: String, outcome: Outcome, duration: Duration) {
            self.group = group
            self.name = name
            self.rule = rule
            self.outcome = outcome
            self.duration = duration
        }

        /// `group/name`.
        public var id: String { "\(group.rawValue)/\(name)" }
    }

    /// The provider's identity when the run started.
    public var provider: ProviderIdentity
    /// The capabilities it reported when the run started, which gated the cases.
    public var capabilities: Set<ProviderCapability>
    /// Every case of the suite, in the order run.
    public var results: [CaseResult]
    /// Resources the suite made and could not remove, each named with why; empty
    /// when everything was cleaned up.
    public var leftovers: [String]
    /// How long the run took.
    public var duration: Duration

    /// Creates a report.
    public init(
        provider: ProviderIdentity, capabilities: Set<ProviderCapability>, results: [CaseResult], leftovers: [String],
        duration: Duration
    ) {
        self.provider = provider
        self.capabilities = capabilities
        self.results = results
        self.leftovers = leftovers
        self.duration = duration
    }

    /// The cases that passed.
    public var passed: [CaseResult] { results.filter { $0.outcome == .passed } }
    /// The cases that failed.
    public var failed: [CaseResult] {
        results.filter { if case .failed = $0.outcome { true } else { false } }
    }
    /// The cases that were skipped.
    public var skipped: [CaseResult] {
        results.filter { if case .skipped = $0.outcome { true } else { false } }
    }

    /// True when no case failed and nothing was left behind.
    public var succeeded: Bool { failed.isEmpty && leftovers.isEmpty }

    /// `N passed, N failed, N skipped` and, when some were, `N resources left behind`.
    public var summary: String {
        let counts = "\(passed.count) passed, \(failed.count) failed, \(skipped.count) skipped"
        return leftovers.isEmpty ? counts : "\(counts), \(leftovers.count) resources left behind"
    }

    /// A line per case (`PASS`, `FAIL` or `SKIP`, the case, the time, the message or
    /// reason), then the leftovers and the summary; for terminals and logs.
    public var text: String {
        var lines = results.map { result in
            let seconds = Self.seconds(result.duration)
            switch result.outcome {
            case .passed: return "PASS  \(result.id)  (\(seconds) s)"
            case .failed(let message): return "FAIL  \(result.id)  (\(seconds) s)\n      \(message)"
            case .skipped(let reason): return "SKIP  \(result.id)  — \(reason)"
            }
        }
        lines += leftovers.map { "LEFT  \($0)" }
        lines.append("\(provider.name) \(provider.version): \(summary) in \(Self.seconds(duration)) s")
        return lines.joined(separator: "\n")
    }

    /// Seconds with three decimals, as JUnit writes them.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
