@testable import KubernetesBackend
import Foundation
import SessionConformance
import SessionSDK
import Testing

extension KubernetesEmulatorTests {
    /// The conformance kit against the Kubernetes backend on the project's API emulator,
    /// with every object the backend sends validated against the official schemas and
    /// every StatefulSet and Pod in the namespace checked against the Pod Security
    /// Standards' restricted profile while it runs; the JUnit report goes to
    /// `reports/conformance-kubernetes.xml`.
    @Suite("Conformance of the Kubernetes backend on the API emulator")
    struct Conformance {
        @Test("every case passes or is skipped for a stated reason, nothing is left behind, and every object sent was valid")
        func passes() async throws {
            let kube = try await KubeFixture.start("cf")
            // Deletes return once everything is marked for deletion, without waiting the
            // ~2 s the emulator takes to stop a pod: the kit cleans up after every case, and
            // its delete cases check that the endpoint stops. The fault tests delete with the wait.
            var providerConfiguration = kube.configuration()
            providerConfiguration.deleteTimeout = .zero
            let provider = try kube.provider(providerConfiguration)
            var configuration = ConformanceSuite.Configuration(provider: provider, makeRequest: KubeFixture.request)
            configuration.dataLinks = try kube.dataLinks().links
            configuration.overQuotaRequest = { id in
                var request = KubeFixture.request(id)
                request.resources.cpuMillis = 1_000_000
                return request
            }
            configuration.missingReferenceRequest = { id in
                var request = KubeFixture.request(id)
                request.homeVolume = .existing("no-such-claim")
                return request
            }
            let restartConfiguration = providerConfiguration
            configuration.restart = ProviderRestart { try kube.provider(restartConfiguration) }
            configuration.timeouts.running = .seconds(40)
            configuration.timeouts.paused = .seconds(20)
            configuration.timeouts.endpoint = .seconds(5)
            configuration.timeouts.probe = .seconds(5)
            configuration.timeouts.watchEvent = .seconds(15)
            configuration.timeouts.testCase = .seconds(90)
            configuration.timeouts.pollInterval = .milliseconds(100)
            configuration.repetitions = 2
            let audit = PodSecurityAudit(kube)
            let report = await ConformanceSuite(configuration: configuration).run()
            let podSecurity = await audit.finish(kube)
            print(report.text)
            let reports = TestTools.repositoryPath("reports")
            try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
            try report.junitXML().write(toFile: "\(reports)/conformance-kubernetes.xml", atomically: true, encoding: .utf8)
            #expect(report.failed.isEmpty, "\(report.failed.map { "\($0.id): \($0.outcome)" })")
            #expect(report.leftovers == [])
            #expect(try await provider.listSessions().isEmpty)

            let validations = try await kube.validations()
            #expect(!validations.isEmpty, "the emulator recorded no validation of the backend's objects")
            let invalid = validations.filter { $0["valid"].bool != true }
            #expect(
                invalid.isEmpty,
                "objects the API server found invalid: \(invalid.map { "\($0["kind"].string ?? "")/\($0["name"].string ?? ""): \($0["message"].string ?? "")" })")
            let kinds = Set(validations.compactMap { $0["kind"].string })
            for kind in ["StatefulSet", "PersistentVolumeClaim", "Service", "Secret", "VolumeSnapshot"] {
                #expect(kinds.contains(kind), "no \(kind) was validated; validated kinds: \(kinds.sorted())")
            }

            // Every StatefulSet and Pod seen during the run passed the restricted profile.
            #expect(podSecurity.violations.isEmpty, "\(podSecurity.violations.sorted())")
            for kind in ["StatefulSet/", "Pod/"] {
                #expect(podSecurity.checked.contains { $0.hasPrefix(kind) }, "no \(kind) was audited: \(podSecurity.errors)")
            }
            await kube.finish()
        }
    }
}
