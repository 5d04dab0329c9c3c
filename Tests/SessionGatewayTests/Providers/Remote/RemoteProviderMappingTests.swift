import Foundation
import RPCTransport
import SessionAPI
import ProviderPlugin
import SessionGateway
import SessionSDK
import Synchronization
import Testing

/// A ``RemoteProvider`` against scripted providers served with ``ProviderService`` on
/// loopback TCP: what a plugin answers, throws or streams reaches the gateway as the
/// plugin meant it.
@Suite("Remote provider mapping of messages, errors and streams")
struct RemoteProviderMappingTests {
    /// An error a provider keeps as the cause; it must never cross the wire.
    struct ConfidentialCause: Error, CustomStringConvertible {
        var description: String { "password=hunter2" }
    }

    /// Every code whose message crosses unchanged (UNAVAILABLE and DEADLINE_EXCEEDED
    /// also say where, see ``transportCodesSayWhere(_:)``).
    static let plainCodes = SessionError.Code.all.filter { $0 != .unavailable && $0 != .deadlineExceeded }

    @Test("a provider's SessionError comes back with its code and message", arguments: plainCodes)
    func sessionErrorsCrossUnchanged(_ code: SessionError.Code) async throws {
        let provider = ScriptedProvider(script: .init(describe: { _ in
            throw SessionError(code, "scripted \(code) for you to act on", cause: ConfidentialCause())
        }))
        try await ProviderTestServer.serving(provider) { server in
            try await RemoteProvider.using(address: server.address) { remote in
                let error = await thrownSessionError { _ = try await remote.describeSession(SessionHandle(rawValue: "h")) }
                #expect(error?.code == code)
                #expect(error?.message == "scripted \(code) for you to act on")
            }
        }
    }

    @Test("UNAVAILABLE and DEADLINE_EXCEEDED from a provider keep their code and message and say where",
          arguments: [SessionError.Code.unavailable, .deadlineExceeded])
    func transportCodesSayWhere(_ code: SessionError.Code) async throws {
        let provider = ScriptedProvider(script: .init(describe: { _ in throw SessionError(code, "slurmctld did not answer") }))
        try await ProviderTestServer.serving(provider) { server in
            try await RemoteProvider.using(address: server.address) { remote in
                let error = await thrownSessionError { _ = try await remote.describeSession(SessionHandle(rawValue: "h")) }
                #expect(error?.code == code)
                #expect(error?.message.hasSuffix("slurmctld did not answer") == true)
                #expect(error?.message.contains(server.address) == true)
            }
        }
    }

    @Test("an error that is not a SessionError comes back INTERNAL with a correlation id and nothing of the error")
    func otherErrorsAreInternal() async throws {
        let provider = ScriptedProvider(script: .init(describe: { _ in throw ConfidentialCause() }))
        try await ProviderTestServer.serving(provider) { server in
            try await RemoteProvider.using(address: server.address) { remote in
                let error = await thrownSessionError { _ = try await remote.describeSession(SessionHandle(rawValue: "h")) }
                #expect(error?.code == .internalError)
                #expect(error?.message.contains("correlation id") == true)
                #expect(error?.message.contains("hunter2") == false)
            }
        }
    }

    @Test("requirements without their capability answer UNIMPLEMENTED with the provider's message")
    func missingCapabilities() async throws {
        let provider = ScriptedProvider(capabilities: [])
        try await ProviderTestServer.serving(provider) { server in
            try await RemoteProvider.using(address: server.address) { remote in
                let handle = SessionHandle(rawValue: "h")
                let checkpoint = Checkpoint(
                    id: CheckpointID(rawValue: "c"), session: SessionID(rawValue: "s"), name: "n", trigger: .pause,
                    sizeBytes: 0, location: "", createdAt: 0)
                let create = await thrownSessionError { _ = try await remote.createCheckpoint(handle, checkpoint: checkpoint) }
                let delete = await thrownSessionError { try await remote.deleteCheckpoint(checkpoint) }
                let execute = await thrownSessionError { _ = try await remote.execute(["true"], in: handle) }
                let watch = await thrownSessionError { for try await _ in remote.watchSessions() {} }
                let checkpoints = ScriptedProvider.unimplemented("checkpoints", capability: .checkpoints)
                #expect(create?.code == .unimplemented)
                #expect(create?.message == checkpoints.message)
                #expect(delete?.message == checkpoints.message)
                #expect(execute?.code == .unimplemented)
                #expect(execute?.message == ScriptedProvider.unimplemented("executing commands in sessions", capability: .execute).message)
                #expect(watch?.code == .unimplemented)
                #expect(watch?.message == ScriptedProvider.unimplemented("watch", capability: .watch).message)
            }
        }
    }

    @Test("requests and statuses cross the wire field for field")
    func messagesRoundTrip() async throws {
        let answer = ProviderSessionStatus(
            sessionID: SessionID(rawValue: "s-full"), handle: SessionHandle(rawValue: "job/4242"), state: .running,
            reason: "running on node-7", connection: Session.Connection(url: "https://node-7:8888/lab", accessToken: "tok"),
            timeLeft: .seconds(3_540))
        let provider = ScriptedProvider(script: .init(create: { _ in answer }))
        let request = ProviderSessionRequest(
            sessionID: SessionID(rawValue: "s-full"), workspace: WorkspaceID(rawValue: "team-a"), name: "full",
            ideKind: .jupyterLab, image: "python:3.12", command: ["jupyter", "lab", "--port", "$SESSION_PORT"],
            resources: Resources(cpuMillis: 2500, memoryBytes: 8 << 30, gpus: 1), computePool: "gpu",
            environment: ["API_TOKEN": "s3cr3t", "MODE": "fast"], secretNames: ["API_TOKEN"],
            homeVolume: .new(sizeBytes: 5 << 30), durationLimit: .seconds(3_600),
            restoreFrom: Checkpoint(
                id: CheckpointID(rawValue: "cp-1"), session: SessionID(rawValue: "s-old"), name: "pre_run",
                trigger: .pause, sizeBytes: 1234, location: "s3://ckpt/s-old/cp-1", createdAt: 1_700_000_000.5),
            spec: SessionSpec(
                preset: "jupyter", image: "python", computeEnvironment: "hpc",
                environment: [.init(name: "API_TOKEN", value: .secret("team-token")), .init(name: "MODE", value: .plain("fast"))],
                labels: ["team": "ml"], durationLimit: .seconds(3_600)))
        try await ProviderTestServer.serving(provider) { server in
            try await RemoteProvider.using(address: server.address) { remote in
                let status = try await remote.createSession(request)
                #expect(status == answer)
            }
        }
        #expect(provider.calls.sessionRequests == [request])
    }

    @Test("watchSessions streams the provider's statuses in order; dropping it ends the provider's stream")
    func watchStreamsUntilCancelled() async throws {
        let (statuses, feed) = AsyncThrowingStream.makeStream(of: ProviderSessionStatus.self)
        let (ended, endedSignal) = AsyncStream.makeStream(of: Never.self)
        feed.onTermination = { _ in endedSignal.finish() }
        let provider = ScriptedProvider(capabilities: [.watch], script: .init(watch: { statuses }))
        try await ProviderTestServer.serving(provider) { server in
            try await RemoteProvider.using(address: server.address) { remote in
                do {
                    var iterator = remote.watchSessions().makeAsyncIterator()
                    for state in [SessionState.pending, .starting, .running] {
                        feed.yield(ProviderSessionStatus(
                            sessionID: SessionID(rawValue: "s"), handle: SessionHandle(rawValue: "h"), state: state))
                        #expect(try await iterator.next()?.state == state)
                    }
                }
                // The caller let go: the RPC is cancelled, and with it the provider's stream.
                try await withTimeLimit(.seconds(10)) { for await _ in ended {} }
            }
        }
    }

    @Test("the end of a provider's watch stream ends the remote stream, with the provider's error")
    func watchEndsWithProviderError() async throws {
        let (statuses, feed) = AsyncThrowingStream.makeStream(of: ProviderSessionStatus.self)
        let provider = ScriptedProvider(capabilities: [.watch], script: .init(watch: { statuses }))
        try await ProviderTestServer.serving(provider) { server in
            try await RemoteProvider.using(address: server.address) { remote in
                let running = ProviderSessionStatus(
                    sessionID: SessionID(rawValue: "s"), handle: SessionHandle(rawValue: "h"), state: .running)
                feed.yield(running)
                feed.finish(throwing: SessionError(.aborted, "the watch was superseded"))
                var received: [ProviderSessionStatus] = []
                let error = await thrownSessionError {
                    for try await status in remote.watchSessions() { received.append(status) }
                }
                #expect(received == [running])
                #expect(error?.code == .aborted)
                #expect(error?.message == "the watch was superseded")
            }
        }
    }

    @Test("a response that breaks the protocol is INTERNAL naming the call and the field")
    func invalidResponses() async throws {
        let provider = ScriptedProvider(script: .init(describe: { _ in
            ProviderSessionStatus(sessionID: SessionID(rawValue: "s"), handle: SessionHandle(rawValue: ""), state: .running)
        }))
        try await ProviderTestServer.serving(provider) { server in
            try await RemoteProvider.using(address: server.address) { remote in
                let error = await thrownSessionError { _ = try await remote.describeSession(SessionHandle(rawValue: "h")) }
                #expect(error?.code == .internalError)
                #expect(error?.message.contains("DescribeSession") == true)
                #expect(error?.message.contains("status.handle") == true)
            }
        }
    }

    @Test("identity is unknown until first use, then the plugin's, unknown capabilities included")
    func identityOnFirstUse() async throws {
        let provider = ScriptedProvider(
            identity: ProviderIdentity(name: "slurm-plugin", version: "0.9.1"),
            capabilities: [.pauseResume, ProviderCapability(rawValue: "FUTURE_FEATURE")])
        try await ProviderTestServer.serving(provider) { server in
            try await RemoteProvider.using(address: server.address, connect: false) { remote in
                #expect(remote.identity == RemoteProvider.unknownIdentity)
                #expect(remote.capabilities.isEmpty)
                #expect(provider.calls.names.isEmpty)
                _ = try await remote.listSessions()
                #expect(remote.identity == provider.identity)
                #expect(remote.capabilities == provider.capabilities)
                _ = try await remote.listSessions()
                #expect(provider.calls.names == ["listSessions", "listSessions"])
            }
        }
    }

    @Test("a call that outlives its timeout fails DEADLINE_EXCEEDED naming the call")
    func timeouts() async throws {
        #expect(RemoteProvider.Configuration.defaults.timeout(for: SessionProviderServiceMethods.describeSession.method) == .seconds(60))
        #expect(RemoteProvider.Configuration.defaults.timeout(for: SessionProviderServiceMethods.pauseSession.method) == .seconds(600))
        #expect(RemoteProvider.Configuration.defaults.timeout(for: SessionProviderServiceMethods.createCheckpoint.method) == .seconds(600))

        let provider = ScriptedProvider(script: .init(describe: { handle in
            try await Task.sleep(for: .seconds(30))
            return ProviderSessionStatus(sessionID: SessionID(rawValue: "s"), handle: handle, state: .running)
        }))
        var configuration = RemoteProvider.Configuration.defaults
        configuration.timeouts[SessionProviderServiceMethods.describeSession.method] = .milliseconds(300)
        try await ProviderTestServer.serving(provider) { server in
            try await RemoteProvider.using(address: server.address, configuration: configuration) { remote in
                let clock = ContinuousClock()
                let start = clock.now
                let error = await thrownSessionError { _ = try await remote.describeSession(SessionHandle(rawValue: "h")) }
                #expect(clock.now - start < .seconds(10))
                #expect(error?.code == .deadlineExceeded)
                #expect(error?.message.contains("DescribeSession") == true)
                _ = try await remote.listSessions()  // other calls keep the default
            }
        }
    }

    @Test("addresses: a bad one is INVALID_ARGUMENT; nothing listening or a closed client is UNAVAILABLE naming it")
    func addresses() async throws {
        let bad = await thrownSessionError { _ = try RemoteProvider(address: "no port here") }
        #expect(bad?.code == .invalidArgument)

        let nowhere = "unix:/tmp/sgw-nothing-\(UUID().uuidString.prefix(8)).sock"
        let refused = await thrownSessionError { _ = try await RemoteProvider.connect(address: nowhere) }
        #expect(refused?.code == .unavailable)
        #expect(refused?.message.contains(nowhere) == true)

        try await ProviderTestServer.serving(ScriptedProvider()) { server in
            let remote = try await RemoteProvider.connect(address: server.address)
            await remote.close()
            let closed = await thrownSessionError { _ = try await remote.listSessions() }
            #expect(closed?.code == .unavailable)
            #expect(closed?.message.contains(server.address) == true)
        }
    }
}
