import Foundation
@testable import SessionGateway
import SessionSDK
import SessionTestSupport
import Testing

/// Data-links from creation (validated locations and names) to what a running session
/// can read and write at `/workspace/data/<name>`.
@Suite("Session controller: data-links")
struct SessionControllerDataLinkTests {
    @Test("a link to a writable bucket takes writes from inside the session; a link to another bucket refuses them")
    func writableAndReadOnlyLinks() async throws {
        try await GatewayHarness.run { gateway in
            let buckets = gateway.bucketsDirectory
            try FileManager.default.createDirectory(atPath: "\(buckets)/scratch/team", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: "\(buckets)/reference/genomes", withIntermediateDirectories: true)
            try "ACGT".write(toFile: "\(buckets)/reference/genomes/hg38.txt", atomically: true, encoding: .utf8)
            let writable = try await gateway.createDataLink("Team Scratch", at: "s3://scratch/team")
            let readOnly = try await gateway.createDataLink(nil, at: "s3://reference/genomes")
            #expect(writable.name == "team-scratch")
            #expect(readOnly.name == "reference-genomes")

            let session = try await gateway.createRunning(
                "linked", spec: gateway.spec(dataLinks: [writable.id, readOnly.id]))
            let write = try await gateway.shell("echo result > data/team-scratch/out.txt", in: session)
            #expect(write.exitCode == 0, "\(write.errorOutput)")
            #expect(try String(contentsOfFile: "\(buckets)/scratch/team/out.txt", encoding: .utf8) == "result\n")

            #expect(try await gateway.shell("cat data/reference-genomes/hg38.txt", in: session).output == "ACGT")
            let refused = try await gateway.shell("echo x > data/reference-genomes/new.txt", in: session)
            #expect(refused.exitCode != 0)
            #expect(refused.errorOutput.contains("Read-only file system"), "\(refused.errorOutput)")
            #expect(!FileManager.default.fileExists(atPath: "\(buckets)/reference/genomes/new.txt"))

            // The IDE serves the links too.
            let base = String(try #require(session.connection?.url).prefix { $0 != "?" })
            #expect(LoopbackHTTP.get(base + "data/reference-genomes/hg38.txt")?.body == "ACGT")
            #expect(LoopbackHTTP.get(base + "data/team-scratch/out.txt")?.body == "result\n")

            // A mounted link cannot be deleted.
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["linked"]) {
                try await gateway.store.deleteDataLink(id: readOnly.id, workspace: .default)
            }
        }
    }

    static let invalidLocations = [
        "s3://scratch/../etc",
        "s3://scratch/a/../../b",
        "s3://scratch/a/./b",
        "s3://..",
        "s3://scratch//etc/passwd",
        "/etc/passwd",
        "file://relative/path",
        "file:///",
        "s3://scratch/bell\u{7}",
        "s3://scratch/new\nline",
        "s3://scratch/nel\u{85}",
        "s3://scratch/a%2F..%2Fb",
        "s3://scratch/a\\b",
        "s3://scratch/" + String(repeating: "a", count: 1025),
        "s3://" + String(repeating: "b", count: 256),
        "ftp://scratch/a",
        "scratch/a",
        "",
    ]

    @Test("an invalid data-link location is INVALID_ARGUMENT at creation and records nothing", arguments: invalidLocations)
    func invalidLocation(_ location: String) async throws {
        _ = try await GatewayHarness.run { gateway in
            try await gateway.expectRefusal(.invalidArgument, mentioning: ["data-link location"]) {
                _ = try await gateway.createDataLink("data", at: location)
            }
        }
    }

    @Test("the longest valid prefix is accepted")
    func longestPrefix() async throws {
        try await GatewayHarness.run { gateway in
            let prefix = String(repeating: "a", count: 1024)
            let link = try await gateway.createDataLink("long", at: "s3://scratch/\(prefix)")
            #expect(link.location.prefix == prefix)
        }
    }

    @Test("names that normalize alike collide: ALREADY_EXISTS, and the first link is kept; a name with nothing usable is INVALID_ARGUMENT")
    func collidingNames() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.createDataLink("Team Data", at: "s3://scratch/a")
            for (name, location) in [("team_data", "s3://scratch/b"), ("TEAM--DATA", "s3://reference"), (nil, "s3://team/data")] {
                try await gateway.expectRefusal(.alreadyExists, mentioning: ["team-data"]) {
                    _ = try await gateway.createDataLink(name, at: location)
                }
            }
            try await gateway.expectRefusal(.invalidArgument, mentioning: ["letters or digits"]) {
                _ = try await gateway.createDataLink("\u{1}\u{2} ..", at: "s3://scratch/c")
            }
            #expect(try await gateway.store.listDataLinks(workspace: .default).items == [first])
        }
    }

    @Test("a spec listing a data-link twice is INVALID_ARGUMENT; one of another workspace is NOT_FOUND; nothing is created")
    func specDataLinkRefusals() async throws {
        try await GatewayHarness.run { gateway in
            let link = try await gateway.createDataLink("shared", at: "s3://scratch/shared")
            let hidden = try await gateway.store.createDataLink(
                workspace: GatewayHarness.otherWorkspace, name: "theirs", location: try DataLinkRules.parseLocation("s3://scratch/theirs"))
            try await gateway.expectRefusal(.invalidArgument, mentioning: ["twice"]) {
                _ = try await gateway.create("twice", spec: gateway.spec(dataLinks: [link.id, link.id]))
            }
            try await gateway.expectRefusal(.notFound, mentioning: [hidden.id]) {
                _ = try await gateway.create("hidden", spec: gateway.spec(dataLinks: [hidden.id]))
            }
        }
    }

    @Test("a link to a bucket the environment lists neither as readable nor as writable is PERMISSION_DENIED at create and update; nothing is mounted")
    func unlistedBucketRefused() async throws {
        try await GatewayHarness.run { gateway in
            let buckets = gateway.bucketsDirectory
            try FileManager.default.createDirectory(atPath: "\(buckets)/other-team/private", withIntermediateDirectories: true)
            try "theirs".write(toFile: "\(buckets)/other-team/private/notes.txt", atomically: true, encoding: .utf8)
            let foreign = try await gateway.createDataLink("foreign", at: "s3://other-team/private")
            let foreignEFS = try await gateway.createDataLink("foreign-efs", at: "efs://fs-0123456789abcdef0/home")
            for link in [foreign, foreignEFS] {
                try await gateway.expectRefusal(.permissionDenied, mentioning: [link.id, link.location.bucket, "readableBuckets"]) {
                    _ = try await gateway.create("foreign", spec: gateway.spec(dataLinks: [link.id]))
                }
            }
            let listed = try await gateway.createDataLink("reference", at: "s3://reference")
            let session = try await gateway.createRunning("listed", spec: gateway.spec(dataLinks: [listed.id]))
            let seen = try await gateway.shell("ls data; cat data/foreign/notes.txt", in: session)
            #expect(seen.output == "reference\n" && !seen.output.contains("theirs"), "\(seen)")
            _ = try await gateway.controller.pauseSession(workspace: .default, id: session.id)
            try await gateway.converge(session.id, to: [.paused])
            var edited = session.spec
            edited.dataLinks = [listed.id, foreign.id]
            try await gateway.expectRefusal(.permissionDenied, mentioning: ["other-team"]) {
                _ = try await gateway.controller.updateSession(workspace: .default, id: session.id, spec: edited)
            }
            #expect(try await gateway.store.session(id: session.id, workspace: .default).spec.dataLinks == [listed.id])
        }
    }
}
