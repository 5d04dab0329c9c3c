import RPCInterop
import RPCTransport
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1)))
struct RPCServerTests {
    private let echo = ProbeService.method("Echo")

    @Test func listenersAreReadFromTheAddressesClientsDial() {
        let tls = RPCServer.TLSConfiguration(certificateChainPath: "chain.pem", privateKeyPath: "key.pem")
        #expect(RPCServer.Listener(address: "127.0.0.1:50051") == .tcp(host: "127.0.0.1", port: 50051))
        #expect(RPCServer.Listener(address: "[::1]:8443", tls: tls) == .tls(host: "::1", port: 8443, tls: tls))
        #expect(RPCServer.Listener(address: "unix:/run/provider.sock", tls: tls) == .unixDomainSocket(path: "/run/provider.sock"))
        for address in ["", "localhost", "https://127.0.0.1:443", "127.0.0.1:notaport"] {
            #expect(RPCServer.Listener(address: address) == nil, "\(address)")
        }
    }

    @Test func deadlineEndsTheCallAndCancelsTheHandler() async throws {
        let probe = ProbeService()
        try await withTestServer(services: [probe]) { client, _ in
            let started = ContinuousClock.now
            // Long enough for the handler to start even on a loaded machine, far shorter
            // than its 60-second sleep.
            await #expect(throws: RPCError.self) {
                let _: ClientResponse<EchoMessage> = try await client.unary(
                    ProbeService.method("Sleep"), request: EchoMessage(), options: CallOptions(timeout: .seconds(2)))
            }
            #expect(ContinuousClock.now - started < .seconds(10))
            var iterator = probe.signals.makeAsyncIterator()
            #expect(await iterator.next() == "started")
            #expect(await iterator.next() == "cancelled")
        }
    }

    @Test func deadlineStatusIsDeadlineExceeded() async throws {
        try await withTestServer(services: [ProbeService()]) { client, _ in
            do {
                let _: ClientResponse<EchoMessage> = try await client.unary(
                    ProbeService.method("Sleep"), request: EchoMessage(), options: CallOptions(timeout: .milliseconds(100)))
                Issue.record("the call succeeded")
            } catch let error as RPCError {
                #expect(error.code == .deadlineExceeded)
            }
        }
    }

    @Test func clientCancellationCancelsTheHandlerTask() async throws {
        let probe = ProbeService()
        try await withTestServer(services: [probe]) { client, _ in
            let call = Task {
                let _: ClientResponse<EchoMessage> = try await client.unary(ProbeService.method("Sleep"), request: EchoMessage())
            }
            var iterator = probe.signals.makeAsyncIterator()
            #expect(await iterator.next() == "started")
            call.cancel()
            #expect(await iterator.next() == "cancelled")
            let result = await call.result
            #expect(throws: RPCError.self) { try result.get() }
            #expect(probe.events.withLock { $0.handlerCancelled } == 1)
        }
    }

    @Test func unknownServiceAndMethodAreUnimplementedWithTheirNames() async throws {
        try await withTestServer(services: [ProbeService()]) { client, _ in
            let unknownMethod = await #expect(throws: RPCError.self) {
                let _: ClientResponse<EchoMessage> = try await client.unary(
                    ProbeService.method("Nope"), request: EchoMessage())
            }
            #expect(unknownMethod?.code == .unimplemented)
            #expect(unknownMethod?.message.contains("'Nope'") == true)
            let unknownService = await #expect(throws: RPCError.self) {
                let _: ClientResponse<EchoMessage> = try await client.unary(
                    RPCMethod(service: "no.Such", method: "Call"), request: EchoMessage())
            }
            #expect(unknownService?.code == .unimplemented)
            #expect(unknownService?.message.contains("'no.Such'") == true)
        }
    }

    @Test func messagesOverTheLimitAreResourceExhausted() async throws {
        try await withTestServer(services: [ProbeService()], configure: { $0.maxReceiveMessageSize = 1024 }) { client, _ in
            let fits: ClientResponse<EchoMessage> = try await client.unary(
                echo, request: EchoMessage(payload: [UInt8](repeating: 1, count: 1000)))
            #expect(fits.message.payload.count == 1000)
            let error = await #expect(throws: RPCError.self) {
                let _: ClientResponse<EchoMessage> = try await client.unary(
                    echo, request: EchoMessage(payload: [UInt8](repeating: 1, count: 2048)))
            }
            #expect(error?.code == .resourceExhausted)
            // The connection keeps serving.
            let after: ClientResponse<EchoMessage> = try await client.unary(echo, request: EchoMessage(payload: [1]))
            #expect(after.message.payload == [1])
        }
    }

    @Test func handlerErrorsThatAreNotRPCErrorsAreInternalWithoutDetails() async throws {
        try await withTestServer(services: [ProbeService()]) { client, _ in
            let error = await #expect(throws: RPCError.self) {
                let _: ClientResponse<EchoMessage> = try await client.unary(ProbeService.method("Crash"), request: EchoMessage())
            }
            #expect(error?.code == .internalError)
            #expect(error?.message.contains("correlation id") == true)
            #expect(error?.message.contains("7f3a") == false)
        }
    }

    @Test func statusMessagesSurviveTheWireExactly() async throws {
        let message = "\t\nstate is RUNNING ☺ 😈 100% done\r\n"
        try await withTestServer(services: [ProbeService()]) { client, _ in
            let error = await #expect(throws: RPCError.self) {
                let _: ClientResponse<EchoMessage> = try await client.unary(
                    ProbeService.method("Fail"), request: EchoMessage(payload: Array(message.utf8)))
            }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message == message)
        }
    }

    @Test func manyConcurrentCallsShareOneConnection() async throws {
        try await withTestServer(services: [ProbeService()]) { client, _ in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<300 {
                    group.addTask {
                        let payload = Array("call \(index)".utf8)
                        let response: ClientResponse<EchoMessage> = try await client.unary(
                            echo, request: EchoMessage(payload: payload))
                        return response.message.payload == payload
                    }
                }
                var matched = 0
                for try await ok in group where ok { matched += 1 }
                #expect(matched == 300)
            }
        }
    }

    @Test func aSlowReaderBoundsWhatTheServerBuffers() async throws {
        let probe = ProbeService()
        try await withTestServer(services: [probe]) { client, _ in
            // 8 * 16 messages of 64 KiB = 8 MiB offered; the reader waits before reading.
            let count = try await client.serverStreaming(
                ProbeService.method("Flood"), request: EchoMessage(payload: [8])
            ) { (responses: ClientResponseStream<EchoMessage>) in
                try await Task.sleep(for: .milliseconds(500))
                let writtenWhileStalled = probe.events.withLock { $0.messagesWritten }
                // Bounded by what the client queues before withholding credit (1 MiB),
                // one more stream window (1 MiB), the server's 256 KiB queue and one
                // message in flight: 37 messages, far below the 128 offered.
                #expect(writtenWhileStalled <= 37)
                var count = 0
                for try await _ in responses { count += 1 }
                return count
            }
            #expect(count == 128)
        }
    }

    @Test func gracefulShutdownLetsInFlightCallsFinish() async throws {
        try await withTestServer(services: [TestService()]) { client, server in
            let (firstResponse, signal) = AsyncStream.makeStream(of: Void.self)
            let call = Task {
                try await client.serverStreaming(
                    TestService.method("StreamingOutputCall"),
                    request: StreamingOutputCallRequest(responseParameters: [
                        ResponseParameters(size: 10),
                        ResponseParameters(size: 20, intervalUs: 300_000),
                    ])
                ) { (responses: ClientResponseStream<StreamingOutputCallResponse>) in
                    var sizes: [Int] = []
                    for try await response in responses {
                        sizes.append(response.payload?.body.count ?? 0)
                        signal.yield()
                    }
                    return sizes
                }
            }
            // Shut down once the call is surely in flight on the server.
            for await _ in firstResponse { break }
            server.beginGracefulShutdown()
            let sizes = try await call.value
            #expect(sizes == [10, 20])
        }
    }

    @Test func interceptorsRunInOrderAndCanRefuse() async throws {
        let log = CallLog()
        let interceptors: [any ServerInterceptor] = [
            RecordingInterceptor(name: "first", log: log),
            RequireMetadataInterceptor(key: "authorization"),
            RecordingInterceptor(name: "second", log: log),
        ]
        try await withTestServer(services: [ProbeService()], interceptors: interceptors) { client, _ in
            let refused = await #expect(throws: RPCError.self) {
                let _: ClientResponse<EchoMessage> = try await client.unary(echo, request: EchoMessage())
            }
            #expect(refused?.code == .unauthenticated)
            #expect(log.entries == ["first"])
            let _: ClientResponse<EchoMessage> = try await client.unary(
                echo, request: EchoMessage(), metadata: ["authorization": "Bearer x"])
            #expect(log.entries == ["first", "first", "second"])
        }
    }

    @Test func callsAreCountedByMethodAndStatus() async throws {
        let metrics = TestMetrics()
        try await withTestServer(services: [ProbeService()], metrics: metrics) { client, _ in
            let _: ClientResponse<EchoMessage> = try await client.unary(echo, request: EchoMessage())
            let _: ClientResponse<EchoMessage> = try await client.unary(echo, request: EchoMessage())
            _ = try? await client.unary(ProbeService.method("Fail"), request: EchoMessage()) as ClientResponse<EchoMessage>
        }
        #expect(metrics.counter("rpc_server_calls_total", [("rpc_method", "test.Probe/Echo"), ("rpc_code", "OK")]) == 2)
        #expect(metrics.counter(
            "rpc_server_calls_total", [("rpc_method", "test.Probe/Fail"), ("rpc_code", "FAILED_PRECONDITION")]) == 1)
        #expect(metrics.timerSamples("rpc_server_call_duration", [("rpc_method", "test.Probe/Echo")]).count == 2)
    }
}

final class CallLog: Sendable {
    private let storage = Mutex<[String]>([])
    var entries: [String] { storage.withLock { $0 } }
    func append(_ entry: String) { storage.withLock { $0.append(entry) } }
}

struct RecordingInterceptor: ServerInterceptor {
    let name: String
    let log: CallLog

    func intercept(context: ServerContext, next: @Sendable (ServerContext) async throws -> Void) async throws {
        log.append(name)
        try await next(context)
    }
}

struct RequireMetadataInterceptor: ServerInterceptor {
    let key: String

    func intercept(context: ServerContext, next: @Sendable (ServerContext) async throws -> Void) async throws {
        guard context.metadata[string: key] != nil else {
            throw RPCError(.unauthenticated, "send \(key) metadata")
        }
        try await next(context)
    }
}
