import Foundation
import LocalBackend
@testable import SessionGateway
import SessionSDK
import Testing

/// How the gateway makes providers from the registered backend factories: two
/// workspaces may each have a Local environment with the same id, and they must not
/// share sessions, checkpoints, volumes or buckets.
@Suite("Providers: made by backend factories; Local environments are scoped by workspace")
struct LocalEnvironmentScopeTests {
    @Test("environments with the same id in two workspaces get separate directories and buckets")
    func sameIDInTwoWorkspaces() async throws {
        let directory = "/tmp/sessiongw-scope-\(UUID().uuidString.prefix(8).lowercased())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = GatewayConfiguration.embeddedDefault(dataDirectory: directory + "/data")
        var ours = try #require(configuration.environments.first)
        ours.environment.writableBuckets = ["scratch"]
        ours.environment.readableBuckets = ["reference"]
        var theirs = ours
        theirs.environment.workspace = WorkspaceID(rawValue: "lab")
        theirs.environment.writableBuckets = ["lab-only"]
        theirs.environment.readableBuckets = []
        let backends = [LocalProvider.factory(logger: GatewayHarness.quiet)]
        let first = try #require(
            try await Gateway.provider(for: ours, configuration: configuration, backends: backends) as? LocalProvider)
        let second = try #require(
            try await Gateway.provider(for: theirs, configuration: configuration, backends: backends) as? LocalProvider)

        #expect(first.configuration.rootDirectory == directory + "/data/environments/local/local")
        #expect(second.configuration.rootDirectory == directory + "/data/workspaces/lab/environments/local/local")
        #expect(first.configuration.bucketsDirectory != second.configuration.bucketsDirectory)
        #expect(!second.configuration.bucketsDirectory.hasPrefix(first.configuration.rootDirectory))
        // Each environment's buckets exist only in its own directory.
        let files = FileManager.default
        #expect(files.fileExists(atPath: first.configuration.bucketsDirectory + "/scratch"))
        #expect(files.fileExists(atPath: first.configuration.bucketsDirectory + "/reference"))
        #expect(!files.fileExists(atPath: first.configuration.bucketsDirectory + "/lab-only"))
        #expect(files.fileExists(atPath: second.configuration.bucketsDirectory + "/lab-only"))
        #expect(!files.fileExists(atPath: second.configuration.bucketsDirectory + "/scratch"))
        #expect(!files.fileExists(atPath: second.configuration.bucketsDirectory + "/reference"))
    }

    @Test("a backend kind no registered factory makes, or settings its factory refuses, is a configuration error naming the setting")
    func unknownKindAndRefusedSettings() async throws {
        let configuration = GatewayConfiguration.embeddedDefault(dataDirectory: "/tmp/sessiongw-unused")
        var entry = try #require(configuration.environments.first)
        entry.backend = .builtIn(kind: "nomad", settings: [:])
        let refusing = BackendFactory(kind: "nomad") { _ in throw SessionError(.invalidArgument, "setting 'region' is required") }
        for (backends, path, words) in [
            ([LocalProvider.factory(logger: GatewayHarness.quiet)], "computeEnvironments[local].backend", ["'nomad'", "'local'", "'remote'"]),
            ([refusing], "computeEnvironments[local].settings", ["region"]),
        ] {
            do {
                _ = try await Gateway.provider(for: entry, configuration: configuration, backends: backends)
                Issue.record("a provider was made for kind 'nomad'")
            } catch let error as ConfigurationError {
                #expect(error.path == path)
                #expect(words.allSatisfy(error.message.contains), "\(error)")
            }
        }
    }
}
