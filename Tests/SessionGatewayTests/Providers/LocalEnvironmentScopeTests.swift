import Foundation
import LocalBackend
@testable import SessionGateway
import SessionSDK
import Testing

/// Two workspaces may each have a Local environment with the same id; they must not
/// share sessions, checkpoints, volumes or buckets.
@Suite("Providers: Local environments are scoped by workspace")
struct LocalEnvironmentScopeTests {
    @Test("environments with the same id in two workspaces get separate directories and buckets")
    func sameIDInTwoWorkspaces() async throws {
        let directory = "/tmp/sessiongw-scope-\(UUID().uuidString.prefix(8).lowercased())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = GatewayConfiguration.embeddedDefault(dataDirectory: directory + "/data")
        var ours = try #require(configuration.environments.first)
        ours.environment.writableBuckets = ["scratch"]
        var theirs = ours
        theirs.environment.workspace = WorkspaceID(rawValue: "lab")
        theirs.environment.writableBuckets = ["lab-only"]
        let logger = GatewayHarness.quiet
        let first = try #require(try await Gateway.provider(for: ours, configuration: configuration, logger: logger) as? LocalProvider)
        let second = try #require(try await Gateway.provider(for: theirs, configuration: configuration, logger: logger) as? LocalProvider)

        #expect(first.configuration.rootDirectory == directory + "/data/environments/local/local")
        #expect(second.configuration.rootDirectory == directory + "/data/workspaces/lab/environments/local/local")
        #expect(first.configuration.bucketsDirectory != second.configuration.bucketsDirectory)
        #expect(!second.configuration.bucketsDirectory.hasPrefix(first.configuration.rootDirectory))
        // Each environment's buckets exist only in its own directory.
        let files = FileManager.default
        #expect(files.fileExists(atPath: first.configuration.bucketsDirectory + "/scratch"))
        #expect(!files.fileExists(atPath: first.configuration.bucketsDirectory + "/lab-only"))
        #expect(files.fileExists(atPath: second.configuration.bucketsDirectory + "/lab-only"))
        #expect(!files.fileExists(atPath: second.configuration.bucketsDirectory + "/scratch"))
    }
}
