@testable import SessionGateway
import SessionSDK
import Testing

/// What image tags mean, and the migration path of a session on a DEPRECATED image
/// ("add as new" from its latest checkpoint with the RECOMMENDED image), on real Local
/// sessions.
@Suite("Session controller: image tags and migration")
struct SessionControllerImageTagsTests {
    @Test("an EXPERIMENTAL image needs the opt-in, to create and to clone onto; nothing is kept when refused")
    func experimentalNeedsOptIn() async throws {
        try await GatewayHarness.run { gateway in
            let controller = gateway.controller
            let next = gateway.spec(image: "python3-next")
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["EXPERIMENTAL", "allow_experimental_image", "'python3'"]) {
                _ = try await controller.createSession(workspace: .default, name: "trial", owner: "ada", spec: next)
            }
            let trial = try await controller.createSession(
                workspace: .default, name: "trial", owner: "ada", spec: next, allowExperimentalImage: true)
            let events = try await gateway.store.events(session: trial.id, workspace: .default).items.map(\.message)
            #expect(events.contains { $0.contains("EXPERIMENTAL: not supported") })

            let origin = try await gateway.createRunning("origin")
            _ = try await controller.pauseSession(workspace: .default, id: origin.id)
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["EXPERIMENTAL"]) {
                _ = try await controller.cloneSession(
                    workspace: .default, from: .latestCheckpoint(of: origin.id), name: "copy", owner: "ada", image: "python3-next")
            }
        }
    }

    @Test("the seed's migration: a session on a DEPRECATED image is warned, added as new from its latest checkpoint with the RECOMMENDED image, and keeps its files and its checkpoint history")
    func migration() async throws {
        try await GatewayHarness.run { gateway in
            let controller = gateway.controller
            let legacy = try await gateway.createRunning("legacy", spec: gateway.spec(image: "python3-legacy"))
            let warning = try #require(
                ImageTags.warnings(image: "python3-legacy", preset: "notebook", in: gateway.configuration.preset("notebook")).first)
            #expect(warning.contains("DEPRECATED") && warning.contains("RECOMMENDED image 'python3'"))
            #expect(try await gateway.store.events(session: legacy.id, workspace: .default).items.contains { $0.type == "IMAGE_WARNING" && $0.message == warning })
            #expect(try await gateway.shell("echo analysis > notes.txt", in: legacy).exitCode == 0)

            // Only a stopped session is added as new from its latest checkpoint.
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["RUNNING", "stopped"]) {
                _ = try await controller.cloneSession(
                    workspace: .default, from: .latestCheckpoint(of: legacy.id), name: "migrated", owner: "ada", image: "python3")
            }
            _ = try await controller.pauseSession(workspace: .default, id: legacy.id)
            let history = try await gateway.store.checkpoints(session: legacy.id, workspace: .default)
            let latest = try #require(history.first)
            #expect(latest.trigger == .pause)

            let migrated = try await controller.cloneSession(
                workspace: .default, from: .latestCheckpoint(of: legacy.id), name: "migrated", owner: "ada", image: "python3")
            #expect(migrated.clonedFrom == latest.id && migrated.spec.image == "python3")
            #expect(ImageTags.warnings(image: migrated.spec.image, preset: "notebook", in: gateway.configuration.preset("notebook")).isEmpty)
            #expect(try await !gateway.store.events(session: migrated.id, workspace: .default).items.contains { $0.type == "IMAGE_WARNING" })
            let running = try await gateway.converge(migrated.id, to: [.running])
            #expect(try await gateway.shell("cat notes.txt", in: running).output == "analysis\n")

            // It inherits the history of its origin up to where it started; its own comes first.
            #expect(try await gateway.store.inheritedCheckpoints(of: migrated.id, workspace: .default).map(\.id) == history.map(\.id))
            _ = try await controller.pauseSession(workspace: .default, id: migrated.id)
            let own = try await gateway.store.checkpoints(session: migrated.id, workspace: .default)
            #expect(!own.isEmpty && own.allSatisfy { $0.session == migrated.id })
            let second = try await controller.cloneSession(
                workspace: .default, from: .latestCheckpoint(of: migrated.id), name: "second", owner: "ada", image: nil)
            #expect(try await gateway.store.inheritedCheckpoints(of: second.id, workspace: .default).map(\.id)
                == own.map(\.id) + history.map(\.id), "the chain goes up every origin")
            #expect(try await gateway.store.inheritedCheckpoints(of: legacy.id, workspace: .default).isEmpty)
            try await gateway.converge(second.id, to: [.running])
        }
    }

    @Test("a session that failed before its first checkpoint cannot be added as new from; a running one names its state")
    func noCheckpoint() async throws {
        try await GatewayHarness.run { gateway in
            let controller = gateway.controller
            let failed = try await gateway.create("failed", spec: gateway.spec(preset: "env-leak"))
            try await gateway.converge(failed.id, to: [.failed])
            #expect(try await gateway.store.checkpoints(session: failed.id, workspace: .default).isEmpty)
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["no checkpoint"]) {
                _ = try await controller.cloneSession(
                    workspace: .default, from: .latestCheckpoint(of: failed.id), name: "copy", owner: "ada", image: nil)
            }
            try await gateway.expectRefusal(.notFound, mentioning: ["session"]) {
                _ = try await controller.cloneSession(
                    workspace: .default, from: .latestCheckpoint(of: SessionID(rawValue: "s-unknown")), name: "copy", owner: "ada",
                    image: nil)
            }
        }
    }
}
