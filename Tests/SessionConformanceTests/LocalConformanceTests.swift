import LocalBackend
import SessionConformance
import SessionSDK
import Testing

/// The suite against the real Local backend, in process.
@Suite("Conformance of the Local backend in process")
struct LocalConformanceTests {
    /// The cases the Local backend cannot run, with why: it has every capability but
    /// WATCH.
    static let expectedSkips: [String: String] = [
        "identity/checkpoints-unimplemented-without-capability":
            "capability CHECKPOINTS present; this rule applies only to providers without it",
        "identity/clone-unimplemented-without-capability": "capability CLONE present; this rule applies only to providers without it",
        "identity/execute-unimplemented-without-capability":
            "capability EXECUTE present; this rule applies only to providers without it",
        "identity/build-log-unimplemented-without-capability":
            "capability ENVIRONMENT_BUILDS present; this rule applies only to providers without it",
        "identity/pause-resume-unimplemented-without-capability":
            "capability PAUSE_RESUME present; this rule applies only to providers without it",
        "watch/current-state-first": "capability WATCH absent",
        "watch/transitions-in-legal-order": "capability WATCH absent",
        "watch/cancellation-honoured": "capability WATCH absent",
    ]

    @Test("every case passes or is skipped for a stated reason, and nothing is left behind")
    func passes() async throws {
        try await LocalConformanceFixture.run { fixture in
            let suite = ConformanceSuite(configuration: try fixture.configuration())
            let report = await suite.run()
            print(report.text)
            let failures = report.failed.map { "\($0.id): \($0.outcome)" }
            #expect(try await suite.unexpectedFailures(in: report).isEmpty, "\(failures)")
            #expect(report.results.map(\.id) == ConformanceSuite.cases.map(\.id))
            #expect(Self.skips(of: report) == Self.expectedSkips)
            #expect(report.leftovers == [])
            #expect(try await fixture.provider.listSessions().isEmpty)
            #expect(fixture.strayBucketFiles() == [])
        }
    }

    @Test("with a watch added by polling, the watch cases pass too")
    func passesWithWatch() async throws {
        try await LocalConformanceFixture.run { fixture in
            let configuration = try fixture.configuration(provider: PollingWatchProvider(fixture.provider))
            let suite = ConformanceSuite(configuration: configuration)
            let report = await suite.run(focus: try Regex("^(watch|identity)/"))
            #expect(try await suite.unexpectedFailures(in: report).isEmpty, "\(report.failed.map { "\($0.id): \($0.outcome)" })")
            #expect(report.passed.map(\.id).filter { $0.hasPrefix("watch/") }.count == 3)
            let skips = Self.skips(of: report)
            #expect(skips["identity/watch-unimplemented-without-capability"] == "capability WATCH present; this rule applies only to providers without it")
            #expect(skips["delete/twice-succeeds"] == "not selected by the focus expression")
        }
    }

    @Test("with capabilities hidden, the UNIMPLEMENTED cases run and pass, and cases needing them are skipped naming them")
    func fewerCapabilities() async throws {
        try await LocalConformanceFixture.run { fixture in
            let masked = CapabilityMaskingProvider(
                fixture.provider, hiding: [.checkpoints, .clone, .execute, .pauseResume, .environmentBuilds])
            let suite = ConformanceSuite(configuration: try fixture.configuration(provider: masked))
            let report = await suite.run()
            #expect(try await suite.unexpectedFailures(in: report).isEmpty, "\(report.failed.map { "\($0.id): \($0.outcome)" })")
            let passed = Set(report.passed.map(\.id))
            for capability in ["checkpoints", "clone", "execute", "pause-resume", "watch", "build-log"] {
                #expect(passed.contains("identity/\(capability)-unimplemented-without-capability"))
            }
            let skips = Self.skips(of: report)
            #expect(skips["datalinks/read-only-refuses-writes"] == "capability EXECUTE absent")
            #expect(skips["checkpoints/restore-into-clone"] == "capabilities CHECKPOINTS, CLONE, EXECUTE absent")
            #expect(skips["lifecycle/pause-releases-compute"] == "capability PAUSE_RESUME absent")
            #expect(passed.contains("create/mount-outside-data-refused"))
            #expect(passed.contains("concurrency/restarted-provider-recovers-session"))

            // Answering OK without the capability fails exactly those six cases.
            let broken = FaultInjectingProvider(masked, fault: .unimplementedReturnsOK)
            let brokenReport = await ConformanceSuite(configuration: try fixture.configuration(provider: broken))
                .run(focus: try Regex("^identity/"))
            #expect(Set(brokenReport.failed.map(\.id)) == [
                "identity/checkpoints-unimplemented-without-capability", "identity/clone-unimplemented-without-capability",
                "identity/execute-unimplemented-without-capability", "identity/pause-resume-unimplemented-without-capability",
                "identity/watch-unimplemented-without-capability", "identity/build-log-unimplemented-without-capability",
            ])
        }
    }

    static func skips(of report: ConformanceReport) -> [String: String] {
        report.results.reduce(into: [:]) { skips, result in
            if case .skipped(let reason) = result.outcome { skips[result.id] = reason }
        }
    }
}
