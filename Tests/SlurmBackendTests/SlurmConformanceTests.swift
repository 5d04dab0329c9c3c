import Foundation
import SessionConformance
import SessionSDK
import SlurmBackend
import Testing

extension SlurmClusterTests {
    /// The conformance kit against the Slurm backend on the real single-node cluster.
    @Suite("Conformance of the Slurm backend")
    struct SlurmConformanceTests {
        /// The cases the Slurm backend does not run, with why. Any other skip, and any
        /// failure, fails the test.
        static let expectedSkips: [String: String] = [
            "identity/checkpoints-unimplemented-without-capability":
                "capability CHECKPOINTS present; this rule applies only to providers without it",
            "identity/clone-unimplemented-without-capability": "capability CLONE present; this rule applies only to providers without it",
            "identity/execute-unimplemented-without-capability":
                "capability EXECUTE present; this rule applies only to providers without it",
            "identity/pause-resume-unimplemented-without-capability":
                "capability PAUSE_RESUME present; this rule applies only to providers without it",
            // Slurm sessions install packages in their image or home (see the README).
            "describe/build-log-empty-without-packages": "capability ENVIRONMENT_BUILDS absent",
            // Slurm's quotas are association and QOS limits kept by slurmdbd; the test
            // cluster runs without accounting, so nothing can be over quota.
            "create/over-quota-refused": "the configuration gives no over-quota request (Configuration.overQuotaRequest)",
            // The backend polls one shared job listing; it has no push notifications.
            "watch/current-state-first": "capability WATCH absent",
            "watch/transitions-in-legal-order": "capability WATCH absent",
            "watch/cancellation-honoured": "capability WATCH absent",
        ]

        @Test("every case passes or is skipped for a stated reason; the JUnit report is written; no job or directory is left")
        func passes() async throws {
            try await SlurmFixture.run { fixture in
                let suite = ConformanceSuite(configuration: try fixture.conformanceConfiguration())
                let report = await suite.run()
                print(report.text)
                let reports = "\(SlurmTestCluster.packageRoot)/reports"
                try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
                try report.junitXML().write(toFile: "\(reports)/conformance-slurm.xml", atomically: true, encoding: .utf8)

                let failures = report.failed.map { "\($0.id): \($0.outcome)" }
                #expect(report.failed.isEmpty, "\(failures)")
                #expect(report.results.map(\.id) == ConformanceSuite.cases.map(\.id), "every case ran or was skipped")
                #expect(Self.skips(of: report) == Self.expectedSkips)
                #expect(report.passed.count == ConformanceSuite.cases.count - Self.expectedSkips.count)
                #expect(report.leftovers == [])
                #expect(try await fixture.provider.listSessions().isEmpty)
                #expect(try fixture.liveJobs() == [])
            }
        }

        static func skips(of report: ConformanceReport) -> [String: String] {
            report.results.reduce(into: [:]) { skips, result in
                if case .skipped(let reason) = result.outcome { skips[result.id] = reason }
            }
        }
    }
}
