import Foundation
import LocalBackend
@testable import SessionGateway
import SessionSDK
import Testing

/// An existing volume or claim (another workspace's or user's home, a team's data) is
/// usable only where the compute environment lists it.
@Suite("Tenancy: existing volumes only where the environment lists them")
struct ExistingVolumeScopeTests {
    @Test("a home or data volume the environment does not list is PERMISSION_DENIED and nothing is created; a listed one is accepted")
    func unlistedVolumesRefused() async throws {
        var options = GatewayHarness.Options()
        options.existingVolumes = ["team-volume"]
        options.wrapProvider = { RecordingProvider(base: $0, extraCapabilities: [.existingVolumes]) }
        try await GatewayHarness.run(options) { gateway in
            var home = gateway.spec()
            home.homeVolume = .existing("alice-home")
            try await gateway.expectRefusal(.permissionDenied, mentioning: ["alice-home", "existingVolumes"]) {
                _ = try await gateway.create("stolen-home", spec: home)
            }
            var data = gateway.spec()
            data.dataVolumes = [.init(source: "finance-data", mountPath: "/workspace/finance", readOnly: true)]
            try await gateway.expectRefusal(.permissionDenied, mentioning: ["finance-data", "existingVolumes"]) {
                _ = try await gateway.create("stolen-data", spec: data)
            }
            #expect(try await gateway.store.listSessions(workspace: .default).items.isEmpty)

            // The listed volume exists on the backend (Local keeps them under ROOT/volumes).
            try FileManager.default.createDirectory(
                atPath: gateway.provider.configuration.rootDirectory + "/volumes/team-volume", withIntermediateDirectories: true)
            var listed = gateway.spec()
            listed.homeVolume = .existing("team-volume")
            let created = try await gateway.create("team", spec: listed)
            #expect(created.spec.homeVolume == .existing("team-volume"))
        }
    }
}
