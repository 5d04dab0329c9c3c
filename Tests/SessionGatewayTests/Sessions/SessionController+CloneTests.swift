import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

/// "Add as new": sessions cloned from checkpoints of real Local sessions.
@Suite("Session controller: clones")
struct SessionControllerCloneTests {
    @Test("a clone from a checkpoint runs with its files; its writes stay out of the origin; the running origin's current checkpoint cannot be cloned")
    func cloneFromCheckpoint() async throws {
        try await GatewayHarness.run { gateway in
            let controller = gateway.controller
            let origin = try await gateway.createRunning("origin")
            #expect(try await gateway.shell("echo v1 > notes.txt", in: origin).exitCode == 0)
            _ = try await controller.pauseSession(workspace: .default, id: origin.id)
            let saved = try #require(try await gateway.store.checkpoints(session: origin.id, workspace: .default).first)
            #expect(saved.trigger == .pause)

            let clone = try await controller.cloneSession(
                workspace: .default, from: .checkpoint(saved.id), name: "copy", owner: "bob", image: nil)
            #expect(clone.clonedFrom == saved.id)
            #expect(clone.spec == origin.spec)
            #expect(clone.owner == "bob")
            let running = try await gateway.converge(clone.id, to: [.running])
            #expect(try await gateway.shell("cat notes.txt", in: running).output == "v1\n")
            #expect(try await gateway.shell("echo clone-only > mine.txt && echo v2 > notes.txt", in: running).exitCode == 0)
            let pausedOrigin = try await gateway.store.session(id: origin.id, workspace: .default)
            #expect(try await gateway.shell("cat notes.txt", in: pausedOrigin).output == "v1\n")
            #expect(try await gateway.shell("test -e mine.txt", in: pausedOrigin).exitCode != 0)

            // Repeating the clone request is the same request.
            let before = try await gateway.observe()
            let again = try await controller.cloneSession(
                workspace: .default, from: .checkpoint(saved.id), name: "copy", owner: "bob", image: nil)
            #expect(again.id == clone.id)
            #expect(try await gateway.observe() == before)

            // Running again, the origin's newest checkpoint is its current one.
            _ = try await controller.resumeSession(workspace: .default, id: origin.id)
            try await gateway.converge(origin.id, to: [.running])
            let current = try #require(try await gateway.store.checkpoints(session: origin.id, workspace: .default).first)
            #expect(current.id != saved.id)
            #expect(current.trigger == .start)
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["current checkpoint", "RUNNING"]) {
                _ = try await controller.cloneSession(
                    workspace: .default, from: .checkpoint(current.id), name: "copy-of-current", owner: "bob", image: nil)
            }
            // An earlier checkpoint of the running session can be cloned.
            let earlier = try await controller.cloneSession(
                workspace: .default, from: .checkpoint(saved.id), name: "copy-2", owner: "bob", image: nil)
            #expect(try await gateway.shell("cat notes.txt", in: try await gateway.converge(earlier.id, to: [.running])).output == "v1\n")
        }
    }

    @Test("deleting the origin keeps the checkpoint a clone was made from, in the store and on disk, until the clone is deleted")
    func sharedCheckpointOutlivesOrigin() async throws {
        try await GatewayHarness.run { gateway in
            let controller = gateway.controller
            let origin = try await gateway.createRunning("origin")
            _ = try await controller.pauseSession(workspace: .default, id: origin.id)
            let checkpoints = try await gateway.store.checkpoints(session: origin.id, workspace: .default)
            let shared = try #require(checkpoints.first { $0.trigger == .pause })
            let unshared = try #require(checkpoints.first { $0.trigger == .start })
            let clone = try await controller.cloneSession(
                workspace: .default, from: .checkpoint(shared.id), name: "copy", owner: "ada", image: nil)
            try await gateway.converge(clone.id, to: [.running])

            try await controller.deleteSession(workspace: .default, id: origin.id, force: false)
            #expect(try await gateway.store.checkpoint(id: shared.id, workspace: .default).id == shared.id)
            #expect(FileManager.default.fileExists(atPath: shared.location))
            await expectSessionRefusal(.notFound) { _ = try await gateway.store.checkpoint(id: unshared.id) }
            #expect(!FileManager.default.fileExists(atPath: unshared.location))

            let cloneCheckpoints = try await gateway.store.checkpoints(session: clone.id, workspace: .default)
            try await controller.deleteSession(workspace: .default, id: clone.id, force: true)
            await expectSessionRefusal(.notFound) { _ = try await gateway.store.checkpoint(id: shared.id) }
            #expect(!FileManager.default.fileExists(atPath: shared.location))
            for checkpoint in cloneCheckpoints {
                #expect(!FileManager.default.fileExists(atPath: checkpoint.location))
            }
            #expect(try await gateway.store.releasedCheckpoints().isEmpty)
            #expect(gateway.checkpointArchives().isEmpty)
            #expect(gateway.backendSessionIDs().isEmpty)
        }
    }

    @Test("clone requests for unknown or hidden checkpoints, invalid names and taken names are refused and change nothing")
    func cloneRefusals() async throws {
        try await GatewayHarness.run { gateway in
            let controller = gateway.controller
            let origin = try await gateway.createRunning("origin")
            _ = try await controller.pauseSession(workspace: .default, id: origin.id)
            let checkpoint = try #require(try await gateway.store.checkpoints(session: origin.id, workspace: .default).first)

            try await gateway.expectRefusal(.notFound, mentioning: ["checkpoint"]) {
                _ = try await controller.cloneSession(
                    workspace: .default, from: .checkpoint(CheckpointID(rawValue: "c-unknown00000000")), name: "copy", owner: "ada", image: nil)
            }
            try await gateway.expectRefusal(.notFound, mentioning: ["checkpoint"]) {
                _ = try await controller.cloneSession(
                    workspace: GatewayHarness.otherWorkspace, from: .checkpoint(checkpoint.id), name: "copy", owner: "ada", image: nil)
            }
            try await gateway.expectRefusal(.invalidArgument, mentioning: ["name"]) {
                _ = try await controller.cloneSession(
                    workspace: .default, from: .checkpoint(checkpoint.id), name: "-copy", owner: "ada", image: nil)
            }
            try await gateway.expectRefusal(.notFound, mentioning: ["image"]) {
                _ = try await controller.cloneSession(
                    workspace: .default, from: .checkpoint(checkpoint.id), name: "copy", owner: "ada", image: "nope")
            }
            try await gateway.expectRefusal(.alreadyExists, mentioning: ["origin"]) {
                _ = try await controller.cloneSession(
                    workspace: .default, from: .checkpoint(checkpoint.id), name: "origin", owner: "ada", image: nil)
            }
        }
    }
}
