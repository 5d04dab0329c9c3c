import SessionConformance

extension ConformanceSuite {
    /// The ids of the cases that failed in `report` but were not `expected` to, after
    /// running those cases once more: a case that fails only because a loaded machine
    /// delayed it passes the second time, a case whose rule is broken fails again.
    func unexpectedFailures(in report: ConformanceReport, expected: Set<String> = []) async throws -> Set<String> {
        let extra = Set(report.failed.map(\.id)).subtracting(expected)
        guard !extra.isEmpty else { return [] }
        let pattern = "^(" + extra.sorted().joined(separator: "|") + ")$"
        let rerun = await run(focus: try Regex(pattern))
        return Set(rerun.failed.map(\.id)).intersection(extra)
    }
}
