import Foundation
import Glibc
import LocalBackend
@testable import SessionGateway
import SessionSDK
import SessionTestSupport
import ServiceLifecycleTestKit
import Testing

/// The reconciler against a real Local backend: recovery after a gateway restart,
/// drift made outside the gateway, resources nobody owns, and operations a crash
/// interrupted.
@Suite("Reconciler")
struct ReconcilerTests {
    @Test("after a gateway restart, a full pass finds running sessions RUNNING with the same processes, and paused ones PAUSED")
    func restartKeepsSessions() async throws {
        try await GatewayHarness.run { gateway in
            let one = try await gateway.createRunning("one")
            let two = try await gateway.createRunning("two")
            let three = try await gateway.createRunning("three")
            _ = try await gateway.controller.pauseSession(workspace: .default, id: three.id)
            let leaders = try [one, two].map { try #require(gateway.leader(of: $0.id)) }

            let restarted = try gateway.restarted()
            await restarted.reconciler.fullPass()
            for (session, leader) in zip([one, two], leaders) {
                let recovered = try await restarted.store.session(id: session.id, workspace: .default)
                #expect(recovered.state == .running)
                #expect(restarted.leader(of: session.id) == leader)
                #expect(!BackendInspection.liveMembers(of: leader).isEmpty)
                let connection = try await restarted.controller.connection(workspace: .default, id: session.id)
                #expect(LoopbackHTTP.get(connection.url)?.status == 200)
            }
            #expect(try await restarted.store.session(id: three.id, workspace: .default).state == .paused)
            #expect(restarted.liveProcesses(of: three.id).isEmpty)

            // The new gateway carries on with them.
            _ = try await restarted.controller.resumeSession(workspace: .default, id: three.id)
            try await restarted.converge(three.id, to: [.running])
            try await restarted.controller.deleteSession(workspace: .default, id: one.id, force: true)
            #expect(!restarted.backendDirectoryExists(one.id))
        }
    }

    @Test("after a restart, full passes hand every stored handle back to its provider until it recovers the session, then no more")
    func restartRecoversFromHandles() async throws {
        try await GatewayHarness.run { gateway in
            let running = try await gateway.createRunning("running")
            let paused = try await gateway.createRunning("paused")
            _ = try await gateway.controller.pauseSession(workspace: .default, id: paused.id)
            let (unstarted, _) = try await gateway.store.createSession(
                workspace: .default, name: "unstarted", owner: "ada", spec: gateway.spec())

            let (restarted, provider) = try gateway.restartedRecording()
            let handles = [running.id.rawValue, paused.id.rawValue].sorted()

            // While the backend cannot be reached, recovery is tried on every pass.
            provider.makeUnavailable(["recoverSession"])
            await restarted.reconciler.fullPass()
            await restarted.reconciler.fullPass()
            #expect(provider.subjects(of: "recoverSession").sorted() == (handles + handles).sorted())
            let firstDescribe = provider.calls.firstIndex { $0.requirement == "describeSession" }
            let firstRecover = provider.calls.firstIndex { $0.requirement == "recoverSession" }
            #expect(firstRecover != nil && firstDescribe != nil && firstRecover! < firstDescribe!)

            // Once it answers, each session is recovered once more, and then no more.
            provider.makeUnavailable([])
            await restarted.reconciler.fullPass()
            await restarted.reconciler.fullPass()
            #expect(provider.subjects(of: "recoverSession").sorted() == (handles + handles + handles).sorted())
            #expect(try await restarted.store.session(id: running.id, workspace: .default).state == .running)
            #expect(try await restarted.store.session(id: paused.id, workspace: .default).state == .paused)
            // The session the backend never saw is started, not recovered.
            #expect(try await restarted.store.session(id: unstarted.id, workspace: .default).handle != nil)
        }
    }

    @Test("a full pass describes only sessions that hold compute or that their backend's listing contradicts")
    func restingSessionsAreNotDescribed() async throws {
        try await GatewayHarness.run { gateway in
            let running = try await gateway.createRunning("running")
            let paused = try await gateway.createRunning("paused")
            let vanished = try await gateway.createRunning("vanished")
            for session in [paused, vanished] {
                _ = try await gateway.controller.pauseSession(workspace: .default, id: session.id)
            }
            let (restarted, provider) = try gateway.restartedRecording()
            await restarted.reconciler.fullPass()  // recovers the handles
            try FileManager.default.removeItem(atPath: "\(restarted.backendSessionsDirectory)/\(vanished.id.rawValue)")

            let before = provider.calls.count
            await restarted.reconciler.fullPass()
            let pass = provider.calls.dropFirst(before)
            #expect(pass.contains { $0.requirement == "listSessions" })
            #expect(pass.filter { $0.requirement == "describeSession" }.map(\.subject).sorted()
                == [running.id.rawValue, vanished.id.rawValue].sorted())
            #expect(try await restarted.store.session(id: paused.id, workspace: .default).state == .paused)
            // Holding no compute, it stays PAUSED, and says what happened.
            let gone = try await restarted.store.session(id: vanished.id, workspace: .default)
            #expect(gone.state == .paused)
            #expect(gone.stateReason.contains("removed outside the gateway"), "\(gone.stateReason)")
        }
    }

    @Test("a running session within 10 minutes of its duration limit gets one DURATION_WARNING event")
    func durationWarning() async throws {
        try await GatewayHarness.run { gateway in
            var spec = gateway.spec()
            spec.durationLimit = .seconds(420)
            let session = try await gateway.createRunning("short", spec: spec)
            await gateway.reconciler.fullPass()
            await gateway.reconciler.fullPass()
            let warnings = try await gateway.store.events(session: session.id, workspace: .default).items
                .filter { $0.type == "DURATION_WARNING" }
            #expect(warnings.count == 1)
            #expect(warnings.first?.message.contains("in about 7 minutes") == true, "\(warnings)")

            var long = gateway.spec()
            long.durationLimit = .seconds(3600)
            let relaxed = try await gateway.createRunning("long", spec: long)
            await gateway.reconciler.fullPass()
            #expect(try await gateway.store.events(session: relaxed.id, workspace: .default).items
                .allSatisfy { $0.type != "DURATION_WARNING" })
        }
    }

    @Test("a session an API call already recorded as RUNNING gets its START checkpoint on the next pass, also after a resume")
    func startCheckpointAfterRunningCall() async throws {
        var options = GatewayHarness.Options()
        options.wrapProvider = { RecordingProvider(base: $0, returnOnceRunning: true) }
        try await GatewayHarness.run(options) { gateway in
            let created = try await gateway.create("eager")
            try #require(created.state == .running)
            await gateway.reconciler.fullPass()
            var starts = try await gateway.store.checkpoints(session: created.id, workspace: .default).filter { $0.trigger == .start }
            #expect(starts.count == 1)

            _ = try await gateway.controller.pauseSession(workspace: .default, id: created.id)
            let resumed = try await gateway.controller.resumeSession(workspace: .default, id: created.id)
            try #require(resumed.state == .running)
            await gateway.reconciler.fullPass()
            await gateway.reconciler.fullPass()
            starts = try await gateway.store.checkpoints(session: created.id, workspace: .default).filter { $0.trigger == .start }
            #expect(starts.count == 2)
        }
    }

    @Test("a graceful shutdown lets the pass in flight finish: a checkpoint being taken is recorded, not cut off", .timeLimit(.minutes(1)))
    func gracefulShutdownFinishesThePass() async throws {
        let (entered, enter) = AsyncStream.makeStream(of: Void.self)
        var options = GatewayHarness.Options()
        options.wrapProvider = { local in
            RecordingProvider(base: local, returnOnceRunning: true) {
                enter.yield()
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        try await GatewayHarness.run(options) { gateway in
            let created = try await gateway.create("busy")
            try #require(created.state == .running)
            try await testGracefulShutdown { trigger in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await gateway.reconciler.run() }
                    for await _ in entered { break }
                    trigger.triggerGracefulShutdown()
                    try await group.next()
                }
            }
            let starts = try await gateway.store.checkpoints(session: created.id, workspace: .default).filter { $0.trigger == .start }
            #expect(starts.count == 1, "the START checkpoint taken during the shutdown was not recorded")
        }
    }

    @Test("a session whose process group is killed outside the gateway becomes FAILED with a reason; resume brings it back with its files")
    func killedSessionFails() async throws {
        try await GatewayHarness.run { gateway in
            let session = try await gateway.createRunning("victim")
            let bystander = try await gateway.createRunning("bystander")
            #expect(try await gateway.shell("echo survived > kept.txt", in: session).exitCode == 0)
            let restarted = try gateway.restarted()
            let leader = try #require(restarted.leader(of: session.id))
            #expect(kill(-leader, SIGKILL) == 0)
            try await restarted.eventually("the killed process group is gone") {
                BackendInspection.liveMembers(of: leader).isEmpty
            }

            await restarted.reconciler.fullPass()
            let failed = try await restarted.store.session(id: session.id, workspace: .default)
            #expect(failed.state == .failed)
            #expect(failed.stateReason.contains("processes are gone"), "\(failed.stateReason)")
            #expect(failed.connection == nil)
            let change = try await restarted.store.events(session: session.id, workspace: .default).items
                .last { $0.type == "STATE_CHANGED" }
            #expect(change?.fromState == .running && change?.toState == .failed)
            try await restarted.expectRefusal(.failedPrecondition, mentioning: ["FAILED"]) {
                _ = try await restarted.controller.connection(workspace: .default, id: session.id)
            }
            #expect(try await restarted.store.session(id: bystander.id, workspace: .default).state == .running)

            _ = try await restarted.controller.resumeSession(workspace: .default, id: session.id)
            let back = try await restarted.converge(session.id, to: [.running])
            #expect(try await restarted.shell("cat kept.txt", in: back).output == "survived\n")
        }
    }

    @Test("a full pass deletes a backend session that no stored session owns, and nothing else")
    func orphansAreDeleted() async throws {
        try await GatewayHarness.run { gateway in
            let known = try await gateway.createRunning("known")
            let preset = try #require(gateway.configuration.preset("notebook"))
            let orphanID = SessionID(rawValue: "s-orphan\(UUID().uuidString.prefix(8).lowercased())")
            _ = try await gateway.provider.createSession(ProviderSessionRequest(
                sessionID: orphanID, workspace: .default, name: "orphan", ideKind: preset.ideKind, image: "python3",
                command: preset.command, resources: Resources(cpuMillis: 1000, memoryBytes: 1 << 30)))
            let orphanLeader = try #require(gateway.leader(of: orphanID))
            #expect(!BackendInspection.liveMembers(of: orphanLeader).isEmpty)
            #expect(Set(gateway.backendSessionIDs()) == [known.id.rawValue, orphanID.rawValue])

            let restarted = try gateway.restarted()
            await restarted.reconciler.fullPass()
            #expect(!restarted.backendDirectoryExists(orphanID))
            #expect(BackendInspection.liveMembers(of: orphanLeader).isEmpty)
            #expect(restarted.backendSessionIDs() == [known.id.rawValue])
            #expect(try await restarted.store.session(id: known.id, workspace: .default).state == .running)
            #expect(!restarted.liveProcesses(of: known.id).isEmpty)
        }
    }

    @Test("a session stored as PENDING without a handle (the gateway died before reaching the backend) is started by the reconciler")
    func acceptedSessionIsStarted() async throws {
        try await GatewayHarness.run { gateway in
            let (accepted, _) = try await gateway.store.createSession(
                workspace: .default, name: "accepted", owner: "ada", spec: gateway.spec())
            #expect(accepted.handle == nil)
            #expect(gateway.backendSessionIDs().isEmpty)

            let restarted = try gateway.restarted()
            let running = try await restarted.converge(accepted.id, to: [.running])
            #expect(running.handle?.rawValue == accepted.id.rawValue)
            #expect(restarted.backendSessionIDs() == [accepted.id.rawValue])
            let connection = try await restarted.controller.connection(workspace: .default, id: accepted.id)
            #expect(LoopbackHTTP.get(connection.url)?.status == 200)
            #expect(try await restarted.store.checkpoints(session: accepted.id, workspace: .default).contains { $0.trigger == .start })
        }
    }

    @Test("a pause or delete a crash interrupted (PAUSING, DELETING stored) is finished by the reconciler")
    func interruptedOperationsFinish() async throws {
        try await GatewayHarness.run { gateway in
            let pausing = try await gateway.createRunning("pausing")
            let deleting = try await gateway.createRunning("deleting")
            for (session, state) in [(pausing, SessionState.pausing), (deleting, .deleting)] {
                try await gateway.store.updateSession(id: session.id) { $0.state = state }
            }
            let pausingLeader = try #require(gateway.leader(of: pausing.id))
            let deletingLeader = try #require(gateway.leader(of: deleting.id))

            let restarted = try gateway.restarted()
            await restarted.reconciler.fullPass()
            let paused = try await restarted.store.session(id: pausing.id, workspace: .default)
            #expect(paused.state == .paused)
            #expect(BackendInspection.liveMembers(of: pausingLeader).isEmpty)
            #expect(try await restarted.store.checkpoints(session: pausing.id, workspace: .default).first?.trigger == .pause)
            await expectSessionRefusal(.notFound) { _ = try await restarted.store.session(id: deleting.id, workspace: .default) }
            #expect(!restarted.backendDirectoryExists(deleting.id))
            #expect(BackendInspection.liveMembers(of: deletingLeader).isEmpty)
        }
    }
}
