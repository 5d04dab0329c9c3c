import SessionSDK
import Logging

/// The conformance suite for ``SessionProvider`` implementations, as csi-sanity is for
/// CSI drivers and critest for container runtimes: about fifty cases in nine groups
/// (``ConformanceGroup``) that drive the provider interface directly and check the
/// rules every backend must keep — idempotency, error codes, lifecycle, data-link
/// access, checkpoints, watch order, concurrency and recovery.
///
/// The suite runs against a provider in process, or out of process through a
/// `RemoteProvider` reached over `provider.proto`. Each case is gated on the
/// capabilities the provider reports when the run starts, and on what the
/// ``Configuration`` gives: a case that cannot apply is skipped with the reason, never
/// passed. Cases run one at a time, in group order; each has a time limit.
///
/// Every session, checkpoint and restarted provider instance a case makes is tracked
/// and removed when the case ends, pass, fail or throw; what cannot be removed then is
/// tried again at the end of the run and, if it still remains, listed in
/// ``ConformanceReport/leftovers``.
///
/// ```swift
/// let configuration = ConformanceSuite.Configuration(provider: myProvider) { id in
///     ProviderSessionRequest(
///         sessionID: id, workspace: .default, name: id.rawValue, ideKind: .terminal, image: "python:3.12",
///         command: ["sh", "-c", "exec python3 -m http.server \"$SESSION_PORT\""],
///         resources: Resources(cpuMillis: 500, memoryBytes: 512 << 20))
/// }
/// let report = await ConformanceSuite(configuration: configuration).run(skip: try Regex("^watch/"))
/// print(report.text)
/// #expect(report.failed.isEmpty)
/// ```
public struct ConformanceSuite: Sendable {
    /// What the suite runs against.
    public var configuration: Configuration

    /// Creates a suite.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Every case, in the order the suite runs them.
    public static var cases: [ConformanceCase] { ConformanceCatalog.all }

    /// Runs the cases whose `group/name` matches `focus` (all when nil) and not
    /// `skip`; the others are reported skipped, so the report names every case.
    ///
    /// Never throws: what goes wrong is in the report.
    public func run(
        focus: Regex<AnyRegexOutput>? = nil, skip: Regex<AnyRegexOutput>? = nil
    ) async -> ConformanceReport {
        let clock = ContinuousClock()
        let started = clock.now
        let provider = configuration.provider
        let identity = provider.identity
        let capabilities = provider.capabilities
        let logger = configuration.logger
        logger.info(
            "conformance run started",
            metadata: [
                "provider.name": "\(identity.name)", "provider.version": "\(identity.version)",
                "provider.capabilities": "\(capabilities.map(\.rawValue).sorted().joined(separator: ","))",
            ])

        let selected = Self.cases.map { testCase in
            (testCase, Self.selection(of: testCase, focus: focus, skip: skip))
        }
        let pending = ResourceTracker()
        var results: [ConformanceReport.CaseResult] = []
        var leftovers: [String] = []
        for (testCase, excluded) in selected {
            let caseStarted = clock.now
            let outcome: ConformanceReport.Outcome
            if let excluded {
                outcome = .skipped(excluded)
            } else if let reason = testCase.skipReason(capabilities: capabilities, configuration: configuration) {
                outcome = .skipped(reason)
            } else {
                let tracker = ResourceTracker()
                let context = CaseContext(
                    testCase: testCase, configuration: configuration, capabilities: capabilities, tracker: tracker)
                outcome = await Self.execute(testCase, context: context, limit: configuration.timeouts.testCase)
                let remaining = await tracker.cleanUp(with: provider)
                if !remaining.isEmpty {
                    logger.info(
                        "resources remain after the case", metadata: ["conformance.case": "\(testCase.id)", "conformance.leftovers": "\(remaining)"])
                }
                pending.adopt(tracker)
            }
            let result = ConformanceReport.CaseResult(
                group: testCase.group, name: testCase.name, rule: testCase.rule, outcome: outcome,
                duration: clock.now - caseStarted)
            logger.info("case finished", metadata: ["conformance.case": "\(testCase.id)", "conformance.outcome": "\(outcome)"])
            results.append(result)
        }
        if !pending.isEmpty {
            leftovers = await pending.cleanUp(with: provider)
        }
        let report = ConformanceReport(
            provider: identity, capabilities: capabilities, results: results, leftovers: leftovers,
            duration: clock.now - started)
        logger.info("conformance run finished", metadata: ["conformance.summary": "\(report.summary)"])
        return report
    }

    /// Why a case is not selected, or nil when it is.
    private static func selection(
        of testCase: ConformanceCase, focus: Regex<AnyRegexOutput>?, skip: Regex<AnyRegexOutput>?
    ) -> String? {
        if let focus, testCase.id.firstMatch(of: focus) == nil { return "not selected by the focus expression" }
        if let skip, testCase.id.firstMatch(of: skip) != nil { return "excluded by the skip expression" }
        return nil
    }

    /// Runs one case with a time limit and turns what it throws into an outcome.
    private static func execute(_ testCase: ConformanceCase, context: CaseContext, limit: Duration) async -> ConformanceReport.Outcome {
        let broken = { @Sendable (detail: String) in ConformanceReport.Outcome.failed("\(testCase.rule) — broken: \(detail)") }
        return await withTaskGroup(of: ConformanceReport.Outcome?.self) { group in
            group.addTask {
                do {
                    try await testCase.body(context)
                    return .passed
                } catch let failure as CaseFailure {
                    return broken(failure.detail)
                } catch let skip as CaseSkip {
                    return .skipped(skip.reason)
                } catch let error as SessionError {
                    return broken("the provider threw \(error)")
                } catch is CancellationError {
                    return Task.isCancelled ? nil : broken("the provider threw CancellationError without being cancelled")
                } catch {
                    return broken("unexpected error: \(error)")
                }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            if let first { return first }
            return Task.isCancelled ? .skipped("the run was cancelled") : broken("the case did not finish within \(limit)")
        }
    }
}
