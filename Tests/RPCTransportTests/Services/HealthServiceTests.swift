@testable import RPCTransport
import Testing

@Suite(.timeLimit(.minutes(1))) struct HealthServiceTests {
    static let check = RPCMethod(service: "grpc.health.v1.Health", method: "Check")
    static let watch = RPCMethod(service: "grpc.health.v1.Health", method: "Watch")

    private func check(_ health: HealthService, _ service: String) async throws -> Result<HealthCheckResponse, RPCError> {
        try await InMemoryCall.unary(health, Self.check, HealthCheckRequest(service: service), as: HealthCheckResponse.self).result
    }

    private func startWatch(_ health: HealthService, _ service: String) throws -> InMemoryCall {
        let call = try InMemoryCall(health, Self.watch)
        try call.send(HealthCheckRequest(service: service))
        call.closeRequests()
        return call
    }

    @Test func theServerAsAWholeServesByDefault() async throws {
        #expect(try await check(HealthService(), "").get().status == .serving)
    }

    @Test func checkOfAnUnknownServiceIsNotFound() async throws {
        let result = try await check(HealthService(), "no.such.Service")
        let error = #expect(throws: RPCError.self) { try result.get() }
        #expect(error?.code == .notFound)
    }

    @Test(arguments: [
        (HealthService.ServingStatus.serving, HealthCheckResponse.ServingStatus.serving),
        (.notServing, .notServing),
        (.unknown, .unknown),
    ])
    func checkAnswersTheStatusSet(status: HealthService.ServingStatus, wire: HealthCheckResponse.ServingStatus) async throws {
        let health = HealthService()
        health.setStatus(status, forService: "grpc.testing.TestService")
        #expect(try await check(health, "grpc.testing.TestService").get().status == wire)
        #expect(try await check(health, "").get().status == .serving)
    }

    @Test func watchSendsTheCurrentStatusThenEachChange() async throws {
        let health = HealthService()
        health.setStatus(.notServing, forService: "svc")
        let call = try startWatch(health, "svc")
        #expect(try await call.nextResponse(as: HealthCheckResponse.self)?.status == .notServing)
        health.setStatus(.serving, forService: "svc")
        #expect(try await call.nextResponse(as: HealthCheckResponse.self)?.status == .serving)
        health.setStatus(.serving, forService: "svc")  // unchanged: not sent again
        health.setStatus(.serving, forService: "other")  // another service: not sent
        health.setStatus(.notServing, forService: "svc")
        #expect(try await call.nextResponse(as: HealthCheckResponse.self)?.status == .notServing)
        call.cancel()
        #expect(await call.status()?.code == .cancelled)
    }

    @Test func watchOfAnUnknownServiceWaitsForItsStatus() async throws {
        let health = HealthService()
        let call = try startWatch(health, "later")
        #expect(try await call.nextResponse(as: HealthCheckResponse.self)?.status == .serviceUnknown)
        health.setStatus(.serving, forService: "later")
        #expect(try await call.nextResponse(as: HealthCheckResponse.self)?.status == .serving)
        call.cancel()
        _ = await call.status()
    }

    @Test func cancellingAWatchRemovesItsWatcher() async throws {
        let health = HealthService()
        let calls = try (0..<3).map { _ in try startWatch(health, "") }
        for call in calls {
            #expect(try await call.nextResponse(as: HealthCheckResponse.self)?.status == .serving)
        }
        #expect(health.watcherCount == 3)
        calls[0].cancel()
        #expect(await calls[0].status()?.code == .cancelled)
        #expect(health.watcherCount == 2)
        for call in calls.dropFirst() { call.cancel(); _ = await call.status() }
        #expect(health.watcherCount == 0)
    }

    @Test func aWatchWhoseCallerHasGoneRemovesItsWatcher() async throws {
        let health = HealthService()
        let call = try startWatch(health, "")
        #expect(try await call.nextResponse(as: HealthCheckResponse.self)?.status == .serving)
        call.stream.failSends()
        health.setStatus(.notServing, forService: "")
        #expect(await call.status()?.code == .cancelled)
        #expect(health.watcherCount == 0)
    }

    @Test func aSlowWatcherEndsUpWithTheNewestStatus() async throws {
        let health = HealthService()
        let updates = health.updates(forService: "svc")
        for status in [HealthService.ServingStatus.serving, .notServing, .unknown, .serving] {
            health.setStatus(status, forService: "svc")
        }
        var iterator = updates.makeAsyncIterator()
        #expect(await iterator.next() == .serving)
    }

    @Test func healthMessagesRoundTrip() throws {
        let request = HealthCheckRequest(service: "grpc.testing.TestService")
        #expect(try HealthCheckRequest(protobufBytes: try request.protobufBytes()) == request)
        for status in [HealthCheckResponse.ServingStatus.unknown, .serving, .notServing, .serviceUnknown, .unrecognized(42)] {
            let response = HealthCheckResponse(status: status)
            #expect(try HealthCheckResponse(protobufBytes: try response.protobufBytes()) == response)
        }
        // status (1) = SERVICE_UNKNOWN (3).
        #expect(try HealthCheckResponse(status: .serviceUnknown).protobufBytes() == [0x08, 0x03])
    }
}
