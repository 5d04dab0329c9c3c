import ArgumentParser
import RPCTransport
import SessionAPI
import Testing
@testable import sessiongw

@Suite struct CommandParsingTests {
    @Test func everyClientCommandIsReachableFromTheRoot() throws {
        let lines: [[String]] = [
            ["session", "create", "n", "--preset", "p"], ["session", "get", "s"], ["session", "list"],
            ["session", "watch"], ["session", "pause", "s"], ["session", "resume", "s"], ["session", "delete", "s"],
            ["session", "clone", "c", "n"], ["session", "connect", "s"], ["session", "events", "s"],
            ["session", "update", "s", "--pod-size", "l"], ["checkpoint", "list"], ["checkpoint", "get", "c"],
            ["checkpoint", "rename", "c", "n"], ["datalink", "create", "s3://b"], ["datalink", "list"],
            ["datalink", "delete", "d"], ["preset", "list"], ["environment", "list"],
        ]
        for line in lines {
            _ = try SessionGatewayCommand.parseAsRoot(line)
        }
    }

    @Test func createParsesTheSpecOptions() throws {
        let command = try SessionCreateCommand.parse([
            "demo", "--preset", "p", "--env", "A=1", "--secret-env", "K=key", "--home-size", "10GiB",
            "--data-link", "d-1", "--data-link", "d-2", "--label", "t=ml", "--duration", "8h", "--wait",
            "--timeout", "30s", "-o", "json", "--address", "unix:/tmp/s", "--workspace", "w",
        ])
        #expect(command.homeSize?.bytes == 10 << 30)
        #expect(command.dataLink == ["d-1", "d-2"])
        #expect(command.duration?.seconds == Int64(28_800))
        #expect(command.waiting.wait && command.waiting.timeout.duration == .seconds(30))
        #expect(command.output.output == .json)
        #expect(command.connection.flags == ClientSettings.Layer(address: "unix:/tmp/s", workspace: "w"))
    }

    @Test(arguments: [
        ["demo", "--preset", "p", "--home-size", "1GiB", "--home-claim", "c"],
        ["demo", "--preset", "p", "--label", "a=1", "--label", "a=2"],
        ["demo", "--preset", "p", "--timeout", "0"],
        ["demo"],
    ])
    func createRefusals(arguments: [String]) {
        #expect(throws: (any Error).self) { try SessionCreateCommand.parse(arguments) }
    }

    @Test func listBuildsTheFilter() throws {
        let command = try SessionListCommand.parse(["--state", "running", "--state", "paused", "--label", "a=b", "--all"])
        #expect(try command.filter.filter() == V1SessionFilter(states: [.running, .paused], labels: ["a": "b"]))
        #expect(try SessionListCommand.parse([]).filter.filter() == nil)
    }

    @Test(arguments: [
        (RPCError.Code.invalidArgument, Int32(2)), (.notFound, 2), (.alreadyExists, 2), (.failedPrecondition, 2),
        (.permissionDenied, 2), (.internalError, 2), (.unauthenticated, 5), (.unavailable, 6), (.deadlineExceeded, 6),
    ])
    func exitStatusPerGRPCCode(code: RPCError.Code, status: Int32) {
        #expect(ClientExitCode.forStatus(code) == status)
    }

    @Test func defaultImagePrefersRecommendedThenNotDeprecated() {
        let images = [
            V1PresetImage(name: "old", tag: .deprecated), V1PresetImage(name: "exp", tag: .experimental),
            V1PresetImage(name: "rec", tag: .recommended),
        ]
        #expect(CatalogLookup.defaultImage(of: V1Preset(images: images)) == "rec")
        #expect(CatalogLookup.defaultImage(of: V1Preset(images: Array(images.prefix(2)))) == "exp")
        #expect(CatalogLookup.defaultImage(of: V1Preset(images: [images[0]])) == "old")
        #expect(CatalogLookup.defaultImage(of: V1Preset()) == nil)
    }
}
