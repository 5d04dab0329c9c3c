@testable import AWSBatchBackend
import Foundation
import SessionConformance
import SessionSDK
import Testing

/// The conformance kit against the AWS Batch backend on moto; the JUnit report goes
/// to `reports/conformance-awsbatch.xml`.
@Suite("Conformance of the AWS Batch backend on moto", .serialized)
struct AWSBatchConformanceTests {
    @Test("every case passes or is skipped for a stated reason, and nothing is left behind")
    func passes() async throws {
        let moto = try MotoFixture.start()
        let owner = "cf\(UInt32.random(in: 0...UInt32.max))"
        let provider = try moto.provider(moto.configuration(owner: owner))
        var configuration = ConformanceSuite.Configuration(provider: provider, makeRequest: MotoFixture.request)
        configuration.dataLinks = try moto.dataLinks()
        configuration.overQuotaRequest = { id in
            var request = MotoFixture.request(id)
            request.resources.cpuMillis = 100_000_000
            return request
        }
        configuration.missingReferenceRequest = { id in
            var request = MotoFixture.request(id)
            request.homeVolume = .existing("fsap-0000000000000000")
            return request
        }
        let restartConfiguration = moto.configuration(owner: owner)
        configuration.restart = ProviderRestart { try moto.provider(restartConfiguration) }
        configuration.timeouts.running = .seconds(30)
        configuration.timeouts.paused = .seconds(20)
        configuration.timeouts.endpoint = .seconds(3)
        configuration.timeouts.probe = .seconds(5)
        configuration.timeouts.testCase = .seconds(90)
        configuration.repetitions = 2
        let report = await ConformanceSuite(configuration: configuration).run()
        print(report.text)
        let reports = TestTools.repositoryPath("reports")
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        try report.junitXML().write(toFile: "\(reports)/conformance-awsbatch.xml", atomically: true, encoding: .utf8)
        #expect(report.failed.isEmpty, "\(report.failed.map { "\($0.id): \($0.outcome)" })")
        #expect(report.leftovers == [])
        #expect(try await provider.listSessions().isEmpty)
    }
}
