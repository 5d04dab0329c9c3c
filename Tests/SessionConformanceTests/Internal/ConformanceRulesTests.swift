@testable import SessionConformance
import SessionSDK
import Testing

/// The small rules the cases apply: identity syntax, watch order, connection URLs,
/// and the data-link configuration.
@Suite("Conformance rules")
struct ConformanceRulesTests {
    @Test("semantic versions", arguments: [
        ("1.0.0", true), ("0.10.2", true), ("1.2.3-rc.1", true), ("1.2.3+build.5", true), ("1.2.3-beta+exp.sha.5114f85", true),
        ("1.0", false), ("v1.0.0", false), ("01.0.0", false), ("1.0.0-", false), ("1.0.0-a..b", false), ("", false), ("1.0.0 ", false),
    ])
    func semanticVersions(version: String, valid: Bool) {
        #expect(IdentityRules.isSemanticVersion(version) == valid)
    }

    @Test("provider names", arguments: [
        ("local", true), ("slurm-23.11", true), ("k8s", true), ("Local", false), ("-x", false), ("a b", false), ("", false),
        (String(repeating: "a", count: 64), false),
    ])
    func providerNames(name: String, valid: Bool) {
        #expect(IdentityRules.isWellFormedName(name) == valid)
    }

    @Test("watch order: forward with skips and repeats is legal; going back or leaving the path is not")
    func watchOrder() {
        #expect(StatePath.firstViolation(in: [.pending, .starting, .starting, .running, .paused]) == nil)
        #expect(StatePath.firstViolation(in: [.running, .pausing, .paused]) == nil)
        #expect(StatePath.firstViolation(in: [.pending, .running, .starting]) == "STARTING was reported after RUNNING")
        #expect(StatePath.firstViolation(in: [.paused, .running]) == "RUNNING was reported after PAUSED")
        #expect(StatePath.firstViolation(in: [.running, .failed]) == "FAILED is not a state of starting and pausing a healthy session")
    }

    @Test("connection URLs give host and port")
    func endpoints() {
        #expect(Endpoint(url: "http://127.0.0.1:8080/?token=x") == Endpoint(url: "http://127.0.0.1:8080"))
        #expect(Endpoint(url: "http://127.0.0.1:8080/?token=x")?.description == "127.0.0.1:8080")
        #expect(Endpoint(url: "https://ide.example.com/lab")?.port == 443)
        #expect(Endpoint(url: "http://[::1]:9000/")?.host == "::1")
        #expect(Endpoint(url: "not a url") == nil)
        #expect(Endpoint(url: "ftp://host/") == nil)
    }

    @Test("the data-link configuration follows the environment's writable buckets and refuses what would make the cases meaningless")
    func dataLinks() throws {
        let environment = ComputeEnvironment(id: "ce", backend: "x", writableBuckets: ["rw"])
        let writable = DataLink(id: "w", workspace: .default, name: "Scratch Area", location: try DataLinkRules.parseLocation("s3://rw/a"))
        let readOnly = DataLink(id: "r", workspace: .default, name: "ref", location: try DataLinkRules.parseLocation("s3://ro/b"))
        let links = try ConformanceDataLinks(writable: writable, readOnly: readOnly, in: environment, outsideEntry: "x")
        #expect(links.writable.mountPath == "/workspace/data/scratch-area")
        #expect(!links.writable.readOnly)
        #expect(links.readOnly.readOnly)

        #expect(throws: SessionError.self) { try ConformanceDataLinks(writable: readOnly, readOnly: writable, in: environment) }
        #expect(throws: SessionError.self) {
            try ConformanceDataLinks(writable: writable, readOnly: readOnly, in: environment, outsideEntry: "../x")
        }
        var elsewhere = links.readOnly
        elsewhere.mountPath = "/data/ref"
        #expect(throws: SessionError.self) { try ConformanceDataLinks(writable: links.writable, readOnly: elsewhere) }
    }

    @Test("case ids are unique, kebab case, and every group is known")
    func caseCatalog() {
        let ids = ConformanceSuite.cases.map(\.id)
        #expect(Set(ids).count == ids.count)
        for testCase in ConformanceSuite.cases {
            #expect(ConformanceGroup.all.contains(testCase.group), "\(testCase.id)")
            #expect(testCase.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(testCase.id)")
            #expect(!testCase.rule.isEmpty)
        }
    }
}
