import Foundation
import Glibc
@testable import LocalBackend
import SessionSDK
import Testing

/// The Local provider's lifecycle against real processes: each test starts real
/// sessions (a Python HTTP server serving /workspace) and cleans them up.
@Suite("Local provider lifecycle")
struct LocalProviderLifecycleTests {
    @Test("create starts the command, which serves /workspace on its port with the session's variables")
    func createServes() async throws {
        try await LocalSandbox.run { sandbox in
            let request = sandbox.request(
                command: LocalSandbox.server(after: "printf '%s|%s|%s|%s|%s' \"$SESSION_TOKEN\" \"$SESSION_ID\" \"$HOME\" \"$(pwd)\" \"$GREETING\" > .seen"),
                environment: ["GREETING": "hello"])
            var limited = request
            limited.durationLimit = .seconds(3600)
            let created = try await sandbox.provider.createSession(limited)
            #expect([.pending, .starting, .running].contains(created.state))
            #expect(created.handle.rawValue == request.sessionID.rawValue)

            let status = try await sandbox.waitFor([.running], created.handle)
            let connection = try #require(status.connection)
            let port = try #require(connectionPort(connection))
            #expect(connection.url == "http://127.0.0.1:\(port)/?token=\(connection.accessToken)")
            #expect(connection.accessToken.count == 64)
            let timeLeft = try #require(status.timeLeft)
            #expect(timeLeft <= .seconds(3600) && timeLeft > .seconds(3500))

            let seen = try #require(HTTPProbe.get(port: port, path: "/.seen"))
            #expect(seen.status == 200)
            #expect(seen.body == "\(connection.accessToken)|\(request.sessionID)|/workspace|/workspace|hello")
        }
    }

    @Test("a session is STARTING until its port accepts connections, then RUNNING")
    func startingUntilServing() async throws {
        try await LocalSandbox.run { sandbox in
            let created = try await sandbox.provider.createSession(sandbox.request(command: LocalSandbox.server(after: "sleep 1.5")))
            let early = try await sandbox.provider.describeSession(created.handle)
            #expect(early.state == .starting)
            #expect(early.connection == nil)
            let record = try sandbox.record(created.handle)
            #expect(!LoopbackPort.accepts(port: record.port))

            let running = try await sandbox.waitFor([.running], created.handle)
            #expect(connectionPort(running.connection) == record.port)
            #expect(LoopbackPort.accepts(port: record.port))
        }
    }

    @Test("pause stops every process of the session and keeps /workspace; resume serves the same files")
    func pauseAndResume() async throws {
        try await LocalSandbox.run { sandbox in
            // The command starts a background child too: pause must stop it as well.
            let request = sandbox.request(command: LocalSandbox.server(after: "sleep 600 & true"))
            let handle = try await sandbox.provider.createSession(request).handle
            try await sandbox.waitFor([.running], handle)
            let written = try await sandbox.provider.execute(["sh", "-c", "mkdir -p notes && echo kept > notes/a.txt"], in: handle)
            #expect(written.exitCode == 0)

            let record = try sandbox.record(handle)
            let leader = try #require(record.pid)
            #expect(ProcessTable.liveMembers(leader: leader, leaderStartTicks: record.pidStartTicks).count >= 3)

            let paused = try await sandbox.provider.pauseSession(handle)
            #expect(paused.state == .paused)
            #expect(paused.connection == nil)
            #expect(ProcessTable.liveMembers(leader: leader, leaderStartTicks: record.pidStartTicks).isEmpty)
            #expect(!LoopbackPort.accepts(port: record.port))
            #expect(try await sandbox.provider.pauseSession(handle).state == .paused)  // idempotent

            let resumed = try await sandbox.provider.resumeSession(handle, request: request)
            #expect([.pending, .starting, .running].contains(resumed.state))
            let running = try await sandbox.waitFor([.running], handle)
            let resumedPort = try #require(connectionPort(running.connection))
            let file = try #require(HTTPProbe.get(port: resumedPort, path: "/notes/a.txt"))
            #expect(file.body == "kept\n")
            #expect(try sandbox.record(handle).pid != leader)

            // Resuming a running session does nothing.
            let runningRecord = try sandbox.record(handle)
            let again = try await sandbox.provider.resumeSession(handle, request: request)
            #expect(again.state == .running)
            #expect(try sandbox.record(handle) == runningRecord)
        }
    }

    @Test("pause escalates to SIGKILL after the grace period when the command ignores SIGTERM")
    func pauseEscalates() async throws {
        try await LocalSandbox.run(gracePeriod: .milliseconds(300)) { sandbox in
            let request = sandbox.request(command: LocalSandbox.server(after: "trap '' TERM"))
            let handle = try await sandbox.provider.createSession(request).handle
            try await sandbox.waitFor([.running], handle)
            let record = try sandbox.record(handle)
            let started = ContinuousClock.now
            #expect(try await sandbox.provider.pauseSession(handle).state == .paused)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
            #expect(ProcessTable.liveMembers(leader: try #require(record.pid), leaderStartTicks: record.pidStartTicks).isEmpty)
        }
    }

    @Test("delete removes the processes and the session directory; deleting again succeeds; describe is NOT_FOUND")
    func deleteRemovesEverything() async throws {
        try await LocalSandbox.run { sandbox in
            let outside = "\(sandbox.directory)/outside"
            try sandbox.makeDirectory(outside, file: "keep.txt", contents: "keep")
            let handle = try await sandbox.provider.createSession(sandbox.request()).handle
            try await sandbox.waitFor([.running], handle)
            // A symbolic link in the home must not lead delete outside the session.
            #expect(try await sandbox.provider.execute(["ln", "-s", outside, "escape"], in: handle).exitCode == 0)
            let record = try sandbox.record(handle)
            let directory = sandbox.provider.layout.session(handle.rawValue).directory

            try await sandbox.provider.deleteSession(handle)
            #expect(!FileManager.default.fileExists(atPath: directory))
            #expect(ProcessTable.liveMembers(leader: try #require(record.pid), leaderStartTicks: record.pidStartTicks).isEmpty)
            #expect(FileManager.default.fileExists(atPath: "\(outside)/keep.txt"))

            try await sandbox.provider.deleteSession(handle)
            try await sandbox.provider.deleteSession(SessionHandle(rawValue: "never-existed"))
            try await sandbox.provider.deleteSession(SessionHandle(rawValue: "../../etc"))
            #expect(await errorCode { _ = try await sandbox.provider.describeSession(handle) } == .notFound)
            #expect(await errorCode { _ = try await sandbox.provider.pauseSession(handle) } == .notFound)
            #expect(await errorCode { _ = try await sandbox.provider.execute(["true"], in: handle) } == .notFound)
            #expect(try await sandbox.provider.listSessions().isEmpty)
        }
    }

    @Test("a command that exits at start makes the session FAILED with its exit code and last output")
    func commandExitingIsFailed() async throws {
        try await LocalSandbox.run { sandbox in
            let request = sandbox.request(command: ["/bin/sh", "-c", "echo 'config file /etc/ide.conf missing' >&2; exit 3"])
            let handle = try await sandbox.provider.createSession(request).handle
            let failed = try await sandbox.waitFor([.failed], handle)
            #expect(failed.reason.contains("exited with code 3"))
            #expect(failed.reason.contains("config file /etc/ide.conf missing"))
            #expect(failed.connection == nil)
            // With no process left, describing it again reads the remembered status.
            let id = request.sessionID.rawValue
            let stamp = try #require(SettledStatuses.Stamp(path: "\(sandbox.provider.configuration.rootDirectory)/sessions/\(id)/state.json"))
            #expect(sandbox.provider.settledStatuses.status(of: id, stamp: stamp) == failed)
            #expect(try await sandbox.provider.describeSession(handle) == failed)

            // Resuming a FAILED session starts it again.
            let fixed = sandbox.request(command: LocalSandbox.server())
            var retry = fixed
            retry.sessionID = request.sessionID
            _ = try await sandbox.provider.resumeSession(handle, request: retry)
            try await sandbox.waitFor([.running], handle)
        }
    }

    @Test("a command killed by a signal is FAILED naming the signal")
    func commandKilledIsFailed() async throws {
        try await LocalSandbox.run { sandbox in
            let handle = try await sandbox.provider.createSession(sandbox.request(command: ["/bin/sh", "-c", "kill -9 $$"])).handle
            let failed = try await sandbox.waitFor([.failed], handle)
            #expect(failed.reason.contains("killed by signal 9"))
        }
    }

    @Test("a new provider instance recovers a running session from its handle and can pause it")
    func recoverWithNewInstance() async throws {
        try await LocalSandbox.run { sandbox in
            let handle = try await sandbox.provider.createSession(sandbox.request()).handle
            let running = try await sandbox.waitFor([.running], handle)

            let restarted = sandbox.restartedProvider()
            let recovered = try await restarted.recoverSession(handle)
            #expect(recovered.state == .running)
            #expect(recovered.connection == running.connection)
            #expect(try await restarted.listSessions().map(\.handle) == [handle])

            #expect(try await restarted.pauseSession(handle).state == .paused)
            #expect(try await sandbox.provider.describeSession(handle).state == .paused)
            #expect(await errorCode { _ = try await restarted.recoverSession(SessionHandle(rawValue: "gone")) } == .notFound)
        }
    }

    @Test("create is idempotent on the session id, also when called concurrently")
    func idempotentCreate() async throws {
        try await LocalSandbox.run { sandbox in
            let request = sandbox.request()
            async let first = sandbox.provider.createSession(request)
            async let second = sandbox.provider.createSession(request)
            let (a, b) = try await (first, second)
            #expect(a.handle == b.handle)
            let record = try sandbox.record(a.handle)
            try await sandbox.waitFor([.running], a.handle)

            let third = try await sandbox.provider.createSession(request)
            #expect(third.state == .running)
            #expect(try sandbox.record(a.handle) == record)
            #expect(try await sandbox.provider.listSessions().count == 1)
        }
    }

    @Test("a session can use an existing home volume, which delete keeps")
    func existingHomeVolume() async throws {
        try await LocalSandbox.run { sandbox in
            let volume = sandbox.provider.layout.volume("team-home")
            try sandbox.makeDirectory(volume, file: "README", contents: "shared home")
            let handle = try await sandbox.provider.createSession(sandbox.request(homeVolume: .existing("team-home"))).handle
            let running = try await sandbox.waitFor([.running], handle)
            #expect(HTTPProbe.get(port: try #require(connectionPort(running.connection)), path: "/README")?.body == "shared home")
            try await sandbox.provider.deleteSession(handle)
            #expect(FileManager.default.fileExists(atPath: "\(volume)/README"))
        }
    }

    @Test("requests the backend cannot serve are refused with precise codes and leave nothing behind")
    func refusals() async throws {
        try await LocalSandbox.run { sandbox in
            var gpu = sandbox.request()
            gpu.resources.gpus = 1
            #expect(await errorCode { _ = try await sandbox.provider.createSession(gpu) } == .invalidArgument)

            var badID = sandbox.request()
            badID.sessionID = SessionID(rawValue: "../escape")
            #expect(await errorCode { _ = try await sandbox.provider.createSession(badID) } == .invalidArgument)

            #expect(await errorCode { _ = try await sandbox.provider.createSession(sandbox.request(command: [])) } == .invalidArgument)

            var volumes = sandbox.request()
            volumes.dataVolumes = [SessionSpec.DataVolume(source: "v", mountPath: "/data", readOnly: false)]
            #expect(await errorCode { _ = try await sandbox.provider.createSession(volumes) } == .invalidArgument)

            let missingVolume = sandbox.request(homeVolume: .existing("no-such-volume"))
            #expect(await errorCode { _ = try await sandbox.provider.createSession(missingVolume) } == .notFound)

            let missingBucket = sandbox.request(dataLinks: [LocalSandbox.link("x", bucket: "no-such-bucket", prefix: "", readOnly: true)])
            #expect(await errorCode { _ = try await sandbox.provider.createSession(missingBucket) } == .notFound)

            let unknown = SessionHandle(rawValue: "unknown")
            #expect(await errorCode { _ = try await sandbox.provider.describeSession(unknown) } == .notFound)
            #expect(await errorCode { _ = try await sandbox.provider.pauseSession(unknown) } == .notFound)
            var resume = sandbox.request()
            resume.sessionID = SessionID(rawValue: "unknown")
            #expect(await errorCode { _ = try await sandbox.provider.resumeSession(unknown, request: resume) } == .notFound)

            #expect(try await sandbox.provider.listSessions().isEmpty)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: sandbox.provider.layout.sessionsDirectory)
            #expect(leftovers.isEmpty)
        }
    }

    @Test("probe reports ready on a machine with user namespaces")
    func probe() async throws {
        try await LocalSandbox.run { sandbox in
            let readiness = try await sandbox.provider.probe()
            #expect(readiness.ready, "\(readiness.message)")
            #expect(sandbox.provider.identity.name == "local")
            // Terminals too: the session agent is built beside the tests.
            #expect(sandbox.provider.capabilities == [.pauseResume, .checkpoints, .clone, .dataLinks, .execute, .terminals, .environmentBuilds])
        }
    }
}
