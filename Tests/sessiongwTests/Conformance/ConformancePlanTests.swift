import ArgumentParser
import Foundation
import Logging
import SessionConformance
import SessionGateway
import SessionSDK
import Testing
@testable import sessiongw

/// The `conformance:` section of a configuration file, as `sessiongw conformance` reads it.
@Suite struct ConformancePlanTests {
    static let file = """
        computeEnvironments:
          - {id: local, backend: local, pools: [cpu], writableBuckets: [scratch]}
        presets:
          - id: http
            displayName: HTTP
            ideKind: TERMINAL
            command: ["sh", "-c", "exec serve"]
            images: [{name: old, reference: img:1, tag: DEPRECATED}, {name: new, reference: img:2, tag: RECOMMENDED}]
            podSizes: [{name: small, cpu: 0.5, memory: 256MiB}]
            defaultPodSize: small
        conformance:
          preset: http
          dataLinks: {writable: "s3://scratch/a", readOnly: "s3://reference/b", outsideEntry: secret.txt}
          missingImage: nope
          overQuota: {cpu: 512}
          repetitions: 4
          timeouts: {running: 45s, testCase: 2m}
        """

    private func configuration(_ yaml: String) throws -> ConformanceSuite.Configuration {
        let gateway = try GatewayConfiguration.load(yaml: yaml, dataDirectory: "/tmp/unused")
        let provider = UnusedProvider()
        return try ConformancePlan.load(yaml: yaml).suiteConfiguration(
            provider: provider, environment: gateway.environments[0].environment, presets: gateway.presets,
            logger: .init(label: "test"))
    }

    @Test func everyFieldReachesTheSuiteConfiguration() throws {
        let configuration = try configuration(Self.file)
        let request = configuration.makeRequest(SessionID(rawValue: "s-x"))
        #expect(request.image == "img:2")  // the recommended image's reference
        #expect(request.command == ["sh", "-c", "exec serve"])
        #expect(request.resources == Resources(cpuMillis: 500, memoryBytes: 256 << 20))
        #expect(request.computePool == "cpu")
        #expect(configuration.missingReferenceRequest?(SessionID(rawValue: "s-y")).image == "nope")
        #expect(configuration.overQuotaRequest?(SessionID(rawValue: "s-z")).resources.cpuMillis == 512_000)
        #expect(configuration.dataLinks?.writable.readOnly == false)
        #expect(configuration.dataLinks?.readOnly.readOnly == true)
        #expect(configuration.dataLinks?.outsideEntry == "secret.txt")
        #expect(configuration.repetitions == 4)
        #expect(configuration.timeouts.running == .seconds(45))
        #expect(configuration.timeouts.testCase == .seconds(120))
        #expect(configuration.timeouts.paused == ConformanceSuite.Timeouts.defaults.paused)
    }

    @Test func withoutTheSectionTheOptionalCasesHaveNothing() throws {
        let yaml = String(Self.file[..<Self.file.range(of: "conformance:")!.lowerBound])
        let configuration = try configuration(yaml)
        #expect(configuration.dataLinks == nil)
        #expect(configuration.missingReferenceRequest == nil)
        #expect(configuration.overQuotaRequest == nil)
        #expect(configuration.makeRequest(SessionID(rawValue: "s-x")).image == "img:2")
    }

    @Test(arguments: [
        ("preset: nope", "conformance.preset"),
        ("repetitions: 1", "conformance.repetitions"),
        ("timeouts: {running: soon}", "conformance.timeouts.running"),
        ("dataLinks: {writable: \"s3://reference/a\", readOnly: \"s3://reference/b\"}", "conformance.dataLinks"),
        ("dataLinks: {writable: \"s3://scratch/../a\", readOnly: \"s3://reference/b\"}", "conformance.dataLinks"),
    ])
    func refusalsNameTheSetting(line: String, path: String) throws {
        let yaml = String(Self.file[..<Self.file.range(of: "conformance:")!.lowerBound]) + "conformance:\n  \(line)\n"
        #expect {
            _ = try configuration(yaml)
        } throws: { error in
            (error as? ConfigurationError)?.path == path
        }
    }

    @Test func aSectionOfTheWrongShapeIsAValidationError() {
        #expect(throws: ValidationError.self) { _ = try ConformancePlan.load(yaml: "conformance: [1, 2]") }
    }
}

/// The least provider the plan needs: it is only stored, never called.
private struct UnusedProvider: SessionProvider {
    var identity: ProviderIdentity { ProviderIdentity(name: "none", version: "0.0.0") }
    var capabilities: Set<ProviderCapability> { [] }
    func probe() async throws -> ProviderReadiness { ProviderReadiness(ready: true, message: "") }
    func createSession(_ request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        throw SessionError(.unimplemented, "not used")
    }
    func pauseSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        throw SessionError(.unimplemented, "not used")
    }
    func resumeSession(_ handle: SessionHandle, request: ProviderSessionRequest) async throws -> ProviderSessionStatus {
        throw SessionError(.unimplemented, "not used")
    }
    func deleteSession(_ handle: SessionHandle) async throws {}
    func describeSession(_ handle: SessionHandle) async throws -> ProviderSessionStatus {
        throw SessionError(.notFound, "not used")
    }
    func listSessions() async throws -> [ProviderSessionStatus] { [] }
}
