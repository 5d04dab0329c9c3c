import Foundation
import LocalBackend
import ProviderPlugin
import SessionGateway
import SessionSDK
import Testing

/// A real Local provider served with ``ProviderService`` on a Unix socket and driven
/// through a ``RemoteProvider``: every requirement crosses the wire, and what comes
/// back must be what the Local provider itself answers.
@Suite("Remote provider against the Local backend over provider.proto")
struct RemoteProviderLocalTests {
    @Test("identity and capabilities are the Local provider's, learned with GetIdentity on first use")
    func identityAndCapabilities() async throws {
        try await RemoteLocalFixture.run { fixture in
            #expect(fixture.remote.hasIdentity)
            #expect(fixture.remote.identity == fixture.local.identity)
            #expect(fixture.remote.capabilities == fixture.local.capabilities)

            try await RemoteProvider.using(address: fixture.server.address, connect: false) { lazy in
                #expect(!lazy.hasIdentity)
                #expect(lazy.identity == RemoteProvider.unknownIdentity)
                #expect(lazy.capabilities.isEmpty)
                let readiness = try await lazy.probe()
                #expect(readiness == (try await fixture.local.probe()))
                #expect(lazy.identity == fixture.local.identity)
                #expect(lazy.capabilities == fixture.local.capabilities)
            }
        }
    }

    @Test("a session created over the wire runs, serves its URL, runs commands, pauses, resumes and is deleted")
    func lifecycle() async throws {
        try await RemoteLocalFixture.run { fixture in
            let request = fixture.request("life")
            let created = try await fixture.remote.createSession(request)
            #expect(created.sessionID == request.sessionID)
            #expect([.pending, .starting, .running].contains(created.state))

            let running = try await fixture.waitFor([.running], created.handle)
            let url = try #require(running.connection?.url)
            #expect(SessionURLFetch.get(url)?.status == 200)

            let write = try await fixture.remote.execute(["sh", "-c", "echo written-remotely > notes.txt"], in: created.handle)
            #expect(write.exitCode == 0)
            #expect(try await fixture.remote.execute(["cat", "notes.txt"], in: created.handle).output == "written-remotely\n")
            #expect(SessionURLFetch.get(url, path: "/notes.txt")?.body == "written-remotely\n")
            let failing = try await fixture.remote.execute(["sh", "-c", "echo oops >&2; exit 3"], in: created.handle)
            #expect(failing.exitCode == 3)
            #expect(failing.errorOutput == "oops\n")

            let paused = try await fixture.remote.pauseSession(created.handle)
            #expect(paused.state == .paused)
            let described = try await fixture.remote.describeSession(created.handle)
            #expect(described.state == .paused)
            #expect(described.connection == nil)
            #expect(SessionURLFetch.get(url) == nil)

            _ = try await fixture.remote.resumeSession(created.handle, request: request)
            let resumed = try await fixture.waitFor([.running], created.handle)
            #expect(try await fixture.remote.execute(["cat", "notes.txt"], in: created.handle).output == "written-remotely\n")
            let recovered = try await fixture.remote.recoverSession(created.handle)
            #expect(recovered.state == .running)
            #expect(recovered.connection == resumed.connection)

            try await fixture.remote.deleteSession(created.handle)
            let gone = await thrownSessionError { _ = try await fixture.remote.describeSession(created.handle) }
            #expect(gone?.code == .notFound)
            try await fixture.remote.deleteSession(created.handle)  // deleting a deleted session succeeds
            #expect(try await fixture.local.listSessions().isEmpty)
        }
    }

    @Test("errors keep their code and the Local provider's message across the wire")
    func errorsKeepCodeAndMessage() async throws {
        try await RemoteLocalFixture.run { fixture in
            let unknown = SessionHandle(rawValue: "no-such-session")
            let localNotFound = await thrownSessionError { _ = try await fixture.local.describeSession(unknown) }
            let remoteNotFound = await thrownSessionError { _ = try await fixture.remote.describeSession(unknown) }
            #expect(remoteNotFound?.code == .notFound)
            #expect(remoteNotFound?.message == localNotFound?.message)
            #expect(remoteNotFound?.message.contains("no-such-session") == true)

            let pauseUnknown = await thrownSessionError { _ = try await fixture.remote.pauseSession(unknown) }
            #expect(pauseUnknown?.code == .notFound)

            let gpus = fixture.request("gpu", gpus: 1)
            let localInvalid = await thrownSessionError { _ = try await fixture.local.createSession(gpus) }
            let remoteInvalid = await thrownSessionError { _ = try await fixture.remote.createSession(gpus) }
            #expect(remoteInvalid?.code == .invalidArgument)
            #expect(remoteInvalid?.message == localInvalid?.message)
            let sessions = try await fixture.local.listSessions()
            #expect(sessions.isEmpty)

            // Local lacks WATCH: the SDK default's UNIMPLEMENTED comes back as it is.
            let localWatch = await thrownSessionError { for try await _ in fixture.local.watchSessions() {} }
            let remoteWatch = await thrownSessionError { for try await _ in fixture.remote.watchSessions() {} }
            #expect(remoteWatch?.code == .unimplemented)
            #expect(remoteWatch?.message == localWatch?.message)
        }
    }

    @Test("with the server stopped, calls fail UNAVAILABLE naming the provider's address")
    func serverStopped() async throws {
        try await RemoteLocalFixture.run { fixture in
            let running = try await fixture.createRunning("down")
            await fixture.server.stop()

            let error = await thrownSessionError { _ = try await fixture.remote.describeSession(running.handle) }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains(fixture.server.address) == true)

            let connect = await thrownSessionError { _ = try await RemoteProvider.connect(address: fixture.server.address) }
            #expect(connect?.code == .unavailable)
            #expect(connect?.message.contains(fixture.server.address) == true)
        }
    }

    @Test("checkpoints are taken and removed over the wire, and a clone starts from one")
    func checkpoints() async throws {
        try await RemoteLocalFixture.run { fixture in
            let original = try await fixture.createRunning("origin")
            _ = try await fixture.remote.execute(["sh", "-c", "echo v1 > model.txt"], in: original.handle)
            let wanted = Checkpoint(
                id: CheckpointID(rawValue: "cp-\(UUID().uuidString.prefix(8).lowercased())"), session: original.sessionID,
                name: "before_tuning", trigger: .periodic, sizeBytes: 0, location: "",
                createdAt: Date().timeIntervalSince1970.rounded())

            let taken = try await fixture.remote.createCheckpoint(original.handle, checkpoint: wanted)
            #expect(taken.id == wanted.id)
            #expect(taken.session == wanted.session)
            #expect(taken.name == wanted.name)
            #expect(taken.trigger == .periodic)
            #expect(taken.createdAt == wanted.createdAt)
            let size = try #require(try FileManager.default.attributesOfItem(atPath: taken.location)[.size] as? Int64)
            #expect(size > 0)
            #expect(taken.sizeBytes == size)

            let clone = try await fixture.remote.createSession(fixture.request("clone", restoreFrom: taken))
            try await fixture.waitFor([.running], clone.handle)
            #expect(try await fixture.remote.execute(["cat", "model.txt"], in: clone.handle).output == "v1\n")

            try await fixture.remote.deleteCheckpoint(taken)
            #expect(!FileManager.default.fileExists(atPath: taken.location))
            try await fixture.remote.deleteCheckpoint(taken)  // removing a removed checkpoint succeeds
        }
    }

    @Test("listSessions over the wire gives the sessions the Local provider has")
    func listSessions() async throws {
        try await RemoteLocalFixture.run { fixture in
            #expect(try await fixture.remote.listSessions().isEmpty)
            let first = try await fixture.remote.createSession(fixture.request("one"))
            let second = try await fixture.remote.createSession(fixture.request("two"))

            let listed = try await fixture.remote.listSessions()
            #expect(Set(listed.map(\.handle)) == [first.handle, second.handle])
            #expect(Set(listed.map(\.sessionID)) == [first.sessionID, second.sessionID])
            #expect(Set(try await fixture.local.listSessions().map(\.handle)) == Set(listed.map(\.handle)))

            try await fixture.remote.deleteSession(first.handle)
            #expect(try await fixture.remote.listSessions().map(\.handle) == [second.handle])
        }
    }
}
