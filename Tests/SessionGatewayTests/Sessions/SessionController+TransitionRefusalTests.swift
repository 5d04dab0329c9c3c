import Foundation
import Glibc
import LocalBackend
@testable import SessionGateway
import SessionSDK
import SessionTestSupport
import Testing

/// Requests the lifecycle does not allow in a session's state: refused with
/// FAILED_PRECONDITION naming the state, before any backend is called, leaving the
/// store and the backend as they were.
@Suite("Session controller: illegal transitions")
struct SessionControllerTransitionRefusalTests {
    @Test("while STARTING, pause, delete without force, connect and compute edits are FAILED_PRECONDITION naming STARTING; force deletes")
    func refusalsWhileStarting() async throws {
        try await GatewayHarness.run { gateway in
            let created = try await gateway.create("warming", spec: gateway.spec(preset: "slow"))
            await gateway.reconciler.fullPass()
            let session = try await gateway.store.session(id: created.id, workspace: .default)
            try #require(session.state == .starting, "expected STARTING, got \(session.state): \(session.stateReason)")
            let controller = gateway.controller

            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["STARTING", "cannot be paused"]) {
                _ = try await controller.pauseSession(workspace: .default, id: session.id)
            }
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["STARTING", "force"]) {
                try await controller.deleteSession(workspace: .default, id: session.id, force: false)
            }
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["STARTING", "RUNNING"]) {
                _ = try await controller.connection(workspace: .default, id: session.id)
            }
            var bigger = session.spec
            bigger.podSize = "medium"
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["STARTING", "compute size", "PAUSED"]) {
                _ = try await controller.updateSession(workspace: .default, id: session.id, spec: bigger)
            }
            // Resuming a starting session is already satisfied.
            let before = try await gateway.observe()
            #expect(try await controller.resumeSession(workspace: .default, id: session.id).state == .starting)
            #expect(try await gateway.observe() == before)

            let leader = try #require(gateway.leader(of: session.id))
            #expect(!BackendInspection.liveMembers(of: leader).isEmpty)
            try await controller.deleteSession(workspace: .default, id: session.id, force: true)
            await expectSessionRefusal(.notFound) { _ = try await gateway.store.session(id: session.id, workspace: .default) }
            #expect(!gateway.backendDirectoryExists(session.id))
            #expect(BackendInspection.liveMembers(of: leader).isEmpty)
        }
    }

    @Test("a PENDING session the backend has not seen cannot be paused, connected or deleted without force: FAILED_PRECONDITION naming PENDING")
    func refusalsWhilePending() async throws {
        try await GatewayHarness.run { gateway in
            let (session, _) = try await gateway.store.createSession(
                workspace: .default, name: "queued", owner: "ada", spec: gateway.spec())
            #expect(session.state == .pending && session.handle == nil)
            let controller = gateway.controller
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["PENDING", "cannot be paused"]) {
                _ = try await controller.pauseSession(workspace: .default, id: session.id)
            }
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["PENDING", "force"]) {
                try await controller.deleteSession(workspace: .default, id: session.id, force: false)
            }
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["PENDING"]) {
                _ = try await controller.connection(workspace: .default, id: session.id)
            }
            try await controller.deleteSession(workspace: .default, id: session.id, force: true)
            #expect(try await gateway.store.sessions(inStates: []).isEmpty)
            #expect(gateway.backendSessionIDs().isEmpty)
        }
    }

    @Test("while PAUSING, resume, delete without force and connect are FAILED_PRECONDITION naming PAUSING; the pause then completes")
    func refusalsWhilePausing() async throws {
        var options = GatewayHarness.Options()
        // The session ignores SIGTERM, so PAUSING lasts the grace period, or until the
        // test kills the processes itself.
        options.gracePeriod = .seconds(120)
        try await GatewayHarness.run(options) { gateway in
            let session = try await gateway.createRunning("stubborn", spec: gateway.spec(preset: "stubborn"))
            let controller = gateway.controller
            let leader = try #require(gateway.leader(of: session.id))
            let paused = try await withThrowingTaskGroup(of: Session.self) { group in
                group.addTask { try await controller.pauseSession(workspace: .default, id: session.id) }
                // Once the pause checkpoint is recorded, only the backend's stop is left.
                try await gateway.eventually("the pause checkpoint is taken") {
                    let current = try await gateway.store.session(id: session.id, workspace: .default)
                    let events = try await gateway.store.events(session: session.id, workspace: .default).items
                    return current.state == .pausing && events.contains { $0.type == "CHECKPOINT" && $0.message.contains("'pause-") }
                }
                try await gateway.expectRefusal(.failedPrecondition, mentioning: ["PAUSING", "PAUSED"]) {
                    _ = try await controller.resumeSession(workspace: .default, id: session.id)
                }
                try await gateway.expectRefusal(.failedPrecondition, mentioning: ["PAUSING", "force"]) {
                    try await controller.deleteSession(workspace: .default, id: session.id, force: false)
                }
                try await gateway.expectRefusal(.failedPrecondition, mentioning: ["PAUSING"]) {
                    _ = try await controller.connection(workspace: .default, id: session.id)
                }
                // End the stop now rather than after the grace period.
                #expect(kill(-leader, SIGKILL) == 0)
                // Pausing again is already satisfied (it may wait for the pause under way).
                let again = try await controller.pauseSession(workspace: .default, id: session.id)
                #expect([.pausing, .paused].contains(again.state))
                return try #require(try await group.next())
            }
            #expect(paused.state == .paused)
            let checkpoints = try await gateway.store.checkpoints(session: session.id, workspace: .default)
            #expect(checkpoints.filter { $0.trigger == .pause }.count == 1)
            #expect(BackendInspection.liveMembers(of: leader).isEmpty)
            let events = try await gateway.store.events(session: session.id, workspace: .default).items
            #expect(!events.contains { $0.message.contains("resume requested") })
            #expect(events.last { $0.type == "STATE_CHANGED" }?.toState == .paused)
        }
    }

    @Test("deleting a RUNNING session without force is FAILED_PRECONDITION and keeps it serving; with force it is gone")
    func deleteRunningNeedsForce() async throws {
        try await GatewayHarness.run { gateway in
            let session = try await gateway.createRunning("busy")
            let leader = try #require(gateway.leader(of: session.id))
            try await gateway.expectRefusal(.failedPrecondition, mentioning: ["RUNNING", "irreversible", "force"]) {
                try await gateway.controller.deleteSession(workspace: .default, id: session.id, force: false)
            }
            let url = try #require(session.connection?.url)
            #expect(LoopbackHTTP.get(url)?.status == 200)

            try await gateway.controller.deleteSession(workspace: .default, id: session.id, force: true)
            await expectSessionRefusal(.notFound) { _ = try await gateway.store.session(id: session.id, workspace: .default) }
            #expect(!gateway.backendDirectoryExists(session.id))
            #expect(BackendInspection.liveMembers(of: leader).isEmpty)
            #expect(LoopbackHTTP.get(url) == nil)
        }
    }
}
