import Foundation
import LocalBackend
@testable import SessionGateway
import SessionSDK
import SessionTestSupport
import Testing

/// Pause, resume, delete and edits on real Local sessions: what each does to the
/// session's processes, files and checkpoints, and that repeating them is harmless.
@Suite("Session controller: lifecycle")
struct SessionControllerLifecycleTests {
    @Test("pause takes a PAUSE checkpoint, stops the process group and keeps the files; resume brings it back RUNNING with them")
    func pauseAndResume() async throws {
        try await GatewayHarness.run { gateway in
            let session = try await gateway.createRunning("notes")
            let written = try await gateway.shell("mkdir -p notes && echo kept > notes/a.txt", in: session)
            #expect(written.exitCode == 0, "\(written.errorOutput)")
            let leader = try #require(gateway.leader(of: session.id))
            #expect(!BackendInspection.liveMembers(of: leader).isEmpty)

            let paused = try await gateway.controller.pauseSession(workspace: .default, id: session.id)
            #expect(paused.state == .paused)
            #expect(paused.connection == nil)
            #expect(BackendInspection.liveMembers(of: leader).isEmpty)
            let checkpoint = try #require(try await gateway.store.checkpoints(session: session.id, workspace: .default).first)
            #expect(checkpoint.trigger == .pause)
            #expect(FileManager.default.fileExists(atPath: checkpoint.location))
            #expect(try await gateway.store.events(session: session.id, workspace: .default).items.contains {
                $0.type == "CHECKPOINT" && $0.message.contains(checkpoint.name)
            })
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["PAUSED", "RUNNING"]) {
                _ = try await gateway.controller.connection(workspace: .default, id: session.id)
            }

            let resumed = try await gateway.controller.resumeSession(workspace: .default, id: session.id)
            #expect([.pending, .starting, .running].contains(resumed.state))
            let running = try await gateway.converge(session.id, to: [.running])
            #expect(try await gateway.shell("cat notes/a.txt", in: running).output == "kept\n")
            let connection = try await gateway.controller.connection(workspace: .default, id: session.id)
            let base = String(connection.url.prefix { $0 != "?" })
            #expect(LoopbackHTTP.get(base + "notes/a.txt")?.body == "kept\n")
            #expect(gateway.leader(of: session.id) != leader)

            let path = try await gateway.store.events(session: session.id, workspace: .default).items
                .filter { $0.type == "STATE_CHANGED" }.compactMap(\.toState)
            let resumedPath = Array(path.drop { $0 != .pausing })
            #expect(Array(resumedPath.prefix(3)) == [.pausing, .paused, .pending])
            #expect(resumedPath.last == .running)
        }
    }

    @Test("pausing a paused session, resuming a running one and deleting a deleted one succeed and change nothing")
    func repeatedRequestsAreIdempotent() async throws {
        try await GatewayHarness.run { gateway in
            let session = try await gateway.createRunning("repeat")
            let controller = gateway.controller
            var before = try await gateway.observe()
            #expect(try await controller.resumeSession(workspace: .default, id: session.id).state == .running)
            #expect(try await gateway.observe() == before)

            #expect(try await controller.pauseSession(workspace: .default, id: session.id).state == .paused)
            before = try await gateway.observe()
            for _ in 0..<3 {
                #expect(try await controller.pauseSession(workspace: .default, id: session.id).state == .paused)
            }
            #expect(try await gateway.observe() == before)

            try await controller.deleteSession(workspace: .default, id: session.id, force: false)
            before = try await gateway.observe()
            try await controller.deleteSession(workspace: .default, id: session.id, force: false)
            try await controller.deleteSession(workspace: .default, id: session.id, force: true)
            #expect(try await gateway.observe() == before)
            #expect(before.sessions.isEmpty && before.backendSessions.isEmpty)
        }
    }

    @Test("changing the compute size while RUNNING is FAILED_PRECONDITION saying it needs PAUSED; labels change at once; the size changes once PAUSED")
    func computeEditsNeedPause() async throws {
        try await GatewayHarness.run { gateway in
            let session = try await gateway.createRunning("resize")
            let controller = gateway.controller
            var bigger = session.spec
            bigger.podSize = "medium"
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["RUNNING", "compute size", "PAUSED"]) {
                _ = try await controller.updateSession(workspace: .default, id: session.id, spec: bigger)
            }
            var custom = session.spec
            custom.resources = Resources(cpuMillis: 1500, memoryBytes: 3 << 30)
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["compute size", "PAUSED"]) {
                _ = try await controller.updateSession(workspace: .default, id: session.id, spec: custom)
            }
            var withVariable = session.spec
            withVariable.environment = [.init(name: "MODE", value: .plain("fast"))]
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["environment variables", "PAUSED"]) {
                _ = try await controller.updateSession(workspace: .default, id: session.id, spec: withVariable)
            }
            var otherPreset = session.spec
            otherPreset.preset = "slow"
            try await gateway.expectRefusal(.invalidArgument, mentioning: ["preset"]) {
                _ = try await controller.updateSession(workspace: .default, id: session.id, spec: otherPreset)
            }

            var labelled = session.spec
            labelled.labels = ["team": "ml"]
            let relabelled = try await controller.updateSession(workspace: .default, id: session.id, spec: labelled)
            #expect(relabelled.spec.labels == ["team": "ml"])
            #expect(relabelled.state == .running)
            #expect(relabelled.revision > session.revision)

            _ = try await controller.pauseSession(workspace: .default, id: session.id)
            var resized = relabelled.spec
            resized.podSize = "medium"
            let updated = try await controller.updateSession(workspace: .default, id: session.id, spec: resized)
            #expect(updated.spec.podSize == "medium")
            #expect(updated.state == .paused)
            #expect(try await gateway.store.events(session: session.id, workspace: .default).items.contains {
                $0.type == "UPDATED" && $0.message.contains("compute size")
            })
            _ = try await controller.resumeSession(workspace: .default, id: session.id)
            let running = try await gateway.converge(session.id, to: [.running])
            #expect(running.spec.podSize == "medium")
        }
    }

    @Test("delete removes the backend directory, the store record and the session's checkpoints; deleting again succeeds; lookups are NOT_FOUND")
    func deleteRemovesEverything() async throws {
        try await GatewayHarness.run { gateway in
            let session = try await gateway.createRunning("short-lived")
            let handle = try #require(session.handle)
            _ = try await gateway.controller.pauseSession(workspace: .default, id: session.id)
            let checkpoints = try await gateway.store.checkpoints(session: session.id, workspace: .default)
            #expect(Set(checkpoints.map(\.trigger)) == [.start, .pause])
            #expect(checkpoints.allSatisfy { FileManager.default.fileExists(atPath: $0.location) })

            try await gateway.controller.deleteSession(workspace: .default, id: session.id, force: false)
            #expect(!gateway.backendDirectoryExists(session.id))
            #expect(!gateway.checkpointArchives().contains { $0.hasPrefix(session.id.rawValue + "/") })
            #expect(try await gateway.store.releasedCheckpoints().isEmpty)
            for checkpoint in checkpoints {
                #expect(!FileManager.default.fileExists(atPath: checkpoint.location))
                await expectSessionRefusal(.notFound) { _ = try await gateway.store.checkpoint(id: checkpoint.id) }
            }
            await expectSessionRefusal(.notFound) { _ = try await gateway.store.session(id: session.id, workspace: .default) }
            await expectSessionRefusal(.notFound) { _ = try await gateway.provider.describeSession(handle) }
            await expectSessionRefusal(.notFound) { _ = try await gateway.controller.connection(workspace: .default, id: session.id) }
            await expectSessionRefusal(.notFound) { _ = try await gateway.store.events(session: session.id, workspace: .default) }

            let before = try await gateway.observe()
            try await gateway.controller.deleteSession(workspace: .default, id: session.id, force: false)
            try await gateway.controller.deleteSession(workspace: .default, id: session.id, force: true)
            #expect(try await gateway.observe() == before)
        }
    }

    @Test("a delete the backend cannot finish stays DELETING, with who asked for it in the activity log")
    func unfinishedDeleteKeepsItsAction() async throws {
        try await GatewayHarness.run { gateway in
            let session = try await gateway.createRunning("doomed")
            let (restarted, provider) = try gateway.restartedRecording()
            provider.makeUnavailable(["deleteSession"])
            await expectSessionRefusal(.unavailable) {
                try await restarted.controller.deleteSession(workspace: .default, id: session.id, force: true, actor: "ada")
            }
            #expect(try await restarted.store.session(id: session.id, workspace: .default).state == .deleting)
            let events = try await restarted.store.events(session: session.id, workspace: .default).items
            let action = try #require(events.firstIndex { $0.type == "DELETE_REQUESTED" })
            #expect(events[action].actor == "ada")
            #expect(events[action].kind == .action)
            #expect(events[action].message == "forced delete requested by ada")
            let deleting = try #require(events.firstIndex { $0.toState == .deleting })
            #expect(action < deleting)

            provider.makeUnavailable([])
            try await restarted.controller.deleteSession(workspace: .default, id: session.id, force: true, actor: "ada")
            #expect(try await restarted.store.wasDeleted(id: session.id, workspace: .default))
            #expect(try await !restarted.store.wasDeleted(id: session.id, workspace: WorkspaceID(rawValue: "other")))
        }
    }
}
