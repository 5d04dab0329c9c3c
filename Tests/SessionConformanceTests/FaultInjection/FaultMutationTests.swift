import LocalBackend
import SessionConformance
import SessionSDK
import Testing

/// The mutation check of the suite itself: for each rule a ``FaultInjectingProvider``
/// breaks in the real Local backend, exactly the cases that check that rule fail, and
/// their messages start with the rule.
@Suite("Conformance mutation check")
struct FaultMutationTests {
    /// The cases each fault must fail.
    static let expectedFailures: [FaultInjectingProvider.Fault: Set<String>] = [
        .deleteTwiceErrors: ["delete/twice-succeeds", "lifecycle/delete-is-idempotent"],
        .createNotIdempotent: ["create/repeated-create-is-idempotent", "concurrency/concurrent-identical-creates-one-session"],
        .readOnlyLinkWritable: ["datalinks/read-only-refuses-writes"],
        .illegalTransitionAllowed: ["lifecycle/deleted-session-stays-deleted"],
        .listDuplicates: ["describe/list-has-no-duplicates"],
        .watchOutOfOrder: ["watch/transitions-in-legal-order"],
        .describeUnknownSucceeds: ["describe/unknown-handle-not-found", "delete/describe-afterwards-not-found"],
        .capabilitiesUnstable: ["identity/capabilities-stable"],
        .unknownCapability: ["identity/capabilities-known"],
        .unimplementedReturnsOK: [
            "identity/watch-unimplemented-without-capability", "identity/resize-home-unimplemented-without-capability",
        ],
        .deleteLeavesResource: [
            "delete/describe-afterwards-not-found", "delete/removed-from-list", "lifecycle/delete-is-idempotent",
            "lifecycle/deleted-session-stays-deleted", "concurrency/conflicting-pause-and-delete",
            "concurrency/restarted-provider-recovers-session",
        ],
        .idempotentPauseFails: ["lifecycle/pause-is-idempotent"],
        .cloneNotIsolated: ["checkpoints/clone-isolated"],
        .pauseKeepsCompute: ["lifecycle/pause-releases-compute"],
        // Terminals keep their records and scrollback in the session's storage.
        .resumeLosesStorage: ["lifecycle/pause-keeps-storage", "terminals/terminals-survive-pause"],
        .dataLinkWidened: ["datalinks/nothing-outside-reachable"],
        .restartLosesSessions: ["concurrency/restarted-provider-recovers-session"],
        .malformedIdentity: ["identity/name-and-version-well-formed"],
        .probeNeverReady: ["identity/probe-ready"],
        .foreignCheckpointDeleted: ["checkpoints/delete-refuses-foreign-location"],
    ]

    @Test("every fault has its expected cases")
    func everyFaultListed() {
        #expect(Set(Self.expectedFailures.keys) == Set(FaultInjectingProvider.Fault.allCases))
        let known = Set(ConformanceSuite.cases.map(\.id))
        for (fault, cases) in Self.expectedFailures {
            #expect(cases.isSubset(of: known), "\(fault) lists cases the suite does not have: \(cases.subtracting(known))")
        }
    }

    // One fault at a time: the runs start real sessions, and in parallel on a loaded
    // two-core machine their timeouts, not their rules, would decide the outcome.
    @Test(
        "a provider breaking one rule fails exactly the cases that check it", .serialized,
        arguments: FaultInjectingProvider.Fault.allCases)
    func faultFailsItsCases(_ fault: FaultInjectingProvider.Fault) async throws {
        try await LocalConformanceFixture.run { fixture in
            // The watch fault needs a watch; the Local backend gets one by polling.
            let base: any SessionProvider = fault == .watchOutOfOrder ? PollingWatchProvider(fixture.provider) : fixture.provider
            let configuration = try fixture.configuration(
                provider: FaultInjectingProvider(base, fault: fault),
                restarted: { local in
                    FaultInjectingProvider(fault == .watchOutOfOrder ? PollingWatchProvider(local) : local, fault: fault)
                })
            let suite = ConformanceSuite(configuration: configuration)
            let report = await suite.run()
            let expected = Self.expectedFailures[fault, default: []]
            let failed = Set(report.failed.map(\.id))
            let unexpected = try await suite.unexpectedFailures(in: report, expected: expected)
            #expect(expected.isSubset(of: failed), "\(fault): missing \(expected.subtracting(failed).sorted())\n\(report.text)")
            #expect(unexpected.isEmpty, "\(fault): unexpected failures \(unexpected.sorted())\n\(report.text)")
            let rules = Dictionary(uniqueKeysWithValues: ConformanceSuite.cases.map { ($0.id, $0.rule) })
            for result in report.failed {
                guard case .failed(let message) = result.outcome, let rule = rules[result.id] else { continue }
                #expect(message.hasPrefix("\(rule) — broken: "), "\(result.id): \(message)")
                #expect(message.count > rule.count + 12, "\(result.id) says nothing about how the rule was broken")
            }
            #expect(fixture.strayBucketFiles() == [])

            // Clean-up works when cases fail: everything is removed, except what a
            // provider whose delete keeps sessions leaves, and that is reported.
            let remaining = try await fixture.provider.listSessions()
            if fault == .deleteLeavesResource {
                #expect(!remaining.isEmpty)
                #expect(report.leftovers.count == remaining.count)
            } else {
                #expect(report.leftovers == [], "\(fault)")
                #expect(remaining.map(\.sessionID) == [], "\(fault)")
            }
        }
    }
}
