import RPCTransport
import SessionAPI
import ProviderPlugin
import SessionGateway
import SessionSDK
import Testing

/// ``ProviderService`` as any gRPC client sees it: statuses and messages on the wire,
/// read with a plain ``RPCClient``.
@Suite("Provider service on the wire")
struct ProviderServiceTests {
    private typealias Methods = SessionProviderServiceMethods

    /// An error a provider keeps as the cause; it must never cross the wire.
    struct ConfidentialCause: Error, CustomStringConvertible {
        var description: String { "password=hunter2" }
    }

    /// Runs `body` with a plain client of a server for `provider`.
    private func withClient<Result: Sendable>(
        of provider: ScriptedProvider, _ body: (RPCClient) async throws -> Result
    ) async throws -> Result {
        try await ProviderTestServer.serving(provider) { server in
            let client = RPCClient(target: try #require(RPCClient.Target(address: server.address)))
            do {
                let result = try await body(client)
                await client.close()
                return result
            } catch {
                await client.close()
                throw error
            }
        }
    }

    /// The status a unary call ends with; nil (with an issue) when it succeeds.
    private func status<Request, Response>(
        of client: RPCClient, _ method: TypedRPCMethod<Request, Response>, _ request: Request,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async -> RPCError? {
        do {
            _ = try await client.unary(method, request: request)
            Issue.record("\(method) succeeded", sourceLocation: sourceLocation)
            return nil
        } catch {
            guard let error = error as? RPCError else {
                Issue.record("expected an RPCError, got \(error)", sourceLocation: sourceLocation)
                return nil
            }
            return error
        }
    }

    @Test("a SessionError becomes the status with its code number and message, never its cause",
          arguments: SessionError.Code.all)
    func sessionErrorIsTheStatus(_ code: SessionError.Code) async throws {
        let provider = ScriptedProvider(script: .init(describe: { _ in
            throw SessionError(code, "scripted \(code)", cause: ConfidentialCause())
        }))
        try await withClient(of: provider) { client in
            let error = await status(
                of: client, Methods.describeSession, ProviderV1DescribeSessionRequest(handle: "h"))
            #expect(error?.code.rawValue == code.rawValue)
            #expect(error?.message == "scripted \(code)")
            #expect(error?.metadata.isEmpty == true)
        }
    }

    @Test("GetIdentity answers the name, the version and the capability names, sorted")
    func identity() async throws {
        let provider = ScriptedProvider(
            identity: ProviderIdentity(name: "k8s", version: "1.4.0"), capabilities: [.watch, .checkpoints, .pauseResume])
        try await withClient(of: provider) { client in
            let response: ClientResponse<ProviderV1GetIdentityResponse> = try await client.unary(
                Methods.getIdentity, request: ProviderV1GetIdentityRequest())
            #expect(response.message == ProviderV1GetIdentityResponse(
                name: "k8s", version: "1.4.0", capabilities: ["CHECKPOINTS", "PAUSE_RESUME", "WATCH"]))
        }
    }

    @Test("requests with missing or bad fields are INVALID_ARGUMENT naming the field, before the provider is called")
    func invalidRequests() async throws {
        let provider = ScriptedProvider()
        try await withClient(of: provider) { client in
            var cases: [(RPCError?, String)] = []
            cases.append((await status(
                of: client, Methods.createSession, ProviderV1CreateSessionRequest()), "session "))
            cases.append((await status(
                of: client, Methods.createSession,
                ProviderV1CreateSessionRequest(session: ProviderV1SessionRequest(sessionID: "s", name: "n", command: ["x"]))), "session.resources "))
            cases.append((await status(
                of: client, Methods.describeSession, ProviderV1DescribeSessionRequest(handle: "")), "handle "))
            cases.append((await status(
                of: client, Methods.resumeSession, ProviderV1ResumeSessionRequest(handle: "h")), "session "))
            cases.append((await status(
                of: client, Methods.createCheckpoint, ProviderV1CreateCheckpointRequest(handle: "h")), "checkpoint "))
            cases.append((await status(
                of: client, Methods.deleteCheckpoint,
                ProviderV1DeleteCheckpointRequest(checkpoint: ProviderV1Checkpoint(id: "c", sessionID: "s", name: ""))), "checkpoint.name "))
            cases.append((await status(
                of: client, Methods.execute, ProviderV1ExecuteRequest(handle: "h", command: [])), "command "))
            for (error, field) in cases {
                #expect(error?.code == .invalidArgument, "\(field)")
                #expect(error?.message.hasPrefix(field) == true, "\(error?.message ?? "") should name \(field)")
            }
        }
        #expect(provider.calls.names.isEmpty)
    }

    @Test("WatchSessions of a provider without WATCH ends with UNIMPLEMENTED")
    func watchWithoutCapability() async throws {
        try await withClient(of: ScriptedProvider()) { client in
            do {
                try await client.serverStreaming(Methods.watchSessions, request: ProviderV1WatchSessionsRequest()) {
                    (responses: ClientResponseStream<ProviderV1WatchSessionsResponse>) in
                    for try await _ in responses { Issue.record("no status expected") }
                }
                Issue.record("WatchSessions succeeded")
            } catch let error as RPCError {
                #expect(error.code == .unimplemented)
                #expect(error.message == ScriptedProvider.unimplemented("watch", capability: .watch).message)
            }
        }
    }
}
