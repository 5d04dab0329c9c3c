import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

/// Checkpoint data is deleted only by the backend that holds it: another backend might
/// report success for a location that is not its own and so leave the data behind.
@Suite("Session controller: checkpoint scope")
struct SessionControllerCheckpointScopeTests {
    @Test("a released checkpoint is deleted only through the compute environment that took it, also on retry")
    func releasedCheckpointGoesToItsEnvironment() async throws {
        try await GatewayHarness.run { gateway in
            // The same Local backend behind two recorders: the default workspace's
            // environment, and team-b's.
            let own = RecordingProvider(base: gateway.provider)
            let other = RecordingProvider(base: gateway.provider)
            var registry = ProviderRegistry()
            for entry in gateway.configuration.environments {
                registry.register(entry.environment.workspace == .default ? own : other, for: entry.environment)
            }
            let controller = SessionController(
                configuration: gateway.configuration, store: gateway.store, providers: registry,
                secrets: DirectorySecretResolver(root: "\(gateway.directory)/secrets"), logger: GatewayHarness.quiet)

            let session = try await gateway.createRunning("origin")
            _ = try await gateway.controller.pauseSession(workspace: .default, id: session.id)
            try await gateway.converge(session.id, to: [.paused])
            let checkpoints = try await gateway.store.checkpoints(session: session.id, workspace: .default)
            #expect(!checkpoints.isEmpty)
            for checkpoint in checkpoints {
                let holder = try await gateway.store.checkpointHolder(id: checkpoint.id)
                #expect(holder?.workspace == .default && holder?.computeEnvironment == "local")
            }

            // The holder's backend cannot be reached: the cleanup is deferred, and no other backend is asked.
            own.makeUnavailable(["deleteCheckpoint"])
            try await controller.deleteSession(workspace: .default, id: session.id, force: false)
            await controller.retryReleasedCheckpoints()
            #expect(Set(try await gateway.store.releasedCheckpoints().map(\.id)) == Set(checkpoints.map(\.id)))
            #expect(other.subjects(of: "deleteCheckpoint").isEmpty)
            for checkpoint in checkpoints { #expect(FileManager.default.fileExists(atPath: checkpoint.location)) }

            own.makeUnavailable([])
            await controller.retryReleasedCheckpoints()
            #expect(try await gateway.store.releasedCheckpoints().isEmpty)
            #expect(other.subjects(of: "deleteCheckpoint").isEmpty)
            for checkpoint in checkpoints { #expect(!FileManager.default.fileExists(atPath: checkpoint.location)) }
        }
    }

    @Test("a checkpoint taken while its session is deleted is not left on the backend; the reconciler's checkpoints wait for the session's lock and skip a session no longer running")
    func checkpointOfDeletedSessionIsRemoved() async throws {
        try await GatewayHarness.run { gateway in
            let session = try await gateway.createRunning("racing")
            let before = gateway.checkpointArchives()
            // The store forgets the session while the backend still runs it: what a
            // deletion finishing under a checkpoint in flight leaves.
            try await gateway.store.deleteSession(id: session.id)
            await expectSessionRefusal(.notFound) {
                _ = try await gateway.controller.takeCheckpoint(of: session, trigger: .periodic)
            }
            #expect(gateway.checkpointArchives() == before, "the unrecorded checkpoint was deleted from the backend")

            let paused = try await gateway.createRunning("paused")
            _ = try await gateway.controller.pauseSession(workspace: .default, id: paused.id)
            let count = try await gateway.store.checkpoints(session: paused.id, workspace: .default).count
            try await gateway.controller.checkpointRunning(paused.id, in: .default, trigger: .periodic)
            #expect(try await gateway.store.checkpoints(session: paused.id, workspace: .default).count == count)
        }
    }
}
