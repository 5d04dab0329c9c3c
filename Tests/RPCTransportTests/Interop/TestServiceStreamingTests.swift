import RPCInterop
@testable import RPCTransport
import Testing

@Suite(.timeLimit(.minutes(1))) struct TestServiceStreamingTests {
    let service = TestService()

    private func sizes(_ responses: [StreamingOutputCallResponse]) -> [Int] {
        responses.map { $0.payload?.body.count ?? -1 }
    }

    private func request(_ sizes: [Int32], intervalUs: Int32 = 0) -> StreamingOutputCallRequest {
        StreamingOutputCallRequest(responseParameters: sizes.map {
            ResponseParameters(size: $0, intervalUs: intervalUs)
        })
    }

    @Test func streamingOutputAnswersOncePerParametersInOrder() async throws {
        let call = try InMemoryCall(service, TestService.method("StreamingOutputCall"))
        try call.send(request([31_415, 9, 2_653, 58_979]))
        call.closeRequests()
        let responses = try await call.remainingResponses(as: StreamingOutputCallResponse.self)
        #expect(sizes(responses) == [31_415, 9, 2_653, 58_979])
        #expect(await call.status() == nil)
    }

    @Test func streamingOutputSleepsIntervalBeforeEachResponse() async throws {
        let call = try InMemoryCall(service, TestService.method("StreamingOutputCall"))
        try call.send(request([1, 2, 3], intervalUs: 40_000))
        call.closeRequests()
        let start = ContinuousClock.now
        let responses = try await call.remainingResponses(as: StreamingOutputCallResponse.self)
        #expect(ContinuousClock.now - start >= .milliseconds(120))
        #expect(sizes(responses) == [1, 2, 3])
    }

    @Test func streamingOutputChecksEveryParameterBeforeSending() async throws {
        let call = try InMemoryCall(service, TestService.method("StreamingOutputCall"))
        try call.send(request([5, -1]))
        call.closeRequests()
        #expect(await call.status()?.code == .invalidArgument)
        #expect(call.stream.responses.count == 0)
    }

    @Test func streamingInputSumsThePayloadSizes() async throws {
        let call = try InMemoryCall(service, TestService.method("StreamingInputCall"))
        for size in [27_182, 8, 1_828, 45_904] {
            try call.send(StreamingInputCallRequest(payload: Payload(zeros: size)))
        }
        call.send(bytes: [])  // a request with no payload counts zero
        call.closeRequests()
        let response = try await call.nextResponse(as: StreamingInputCallResponse.self)
        #expect(response?.aggregatedPayloadSize == 74_922)
    }

    @Test func streamingInputRejectsARequestExpectedCompressed() async throws {
        let call = try InMemoryCall(service, TestService.method("StreamingInputCall"))
        try call.send(StreamingInputCallRequest(payload: Payload(zeros: 3), expectCompressed: BoolValue(true)))
        call.closeRequests()
        #expect(await call.status()?.code == .invalidArgument)
    }

    @Test func fullDuplexAnswersEachRequestBeforeTheNextArrives() async throws {
        let call = try InMemoryCall(service, TestService.method("FullDuplexCall"))
        for (requestSize, responseSize) in [(27_182, 31_415), (8, 9), (1_828, 2_653), (45_904, 58_979)] {
            var next = request([Int32(responseSize)])
            next.payload = Payload(zeros: requestSize)
            try call.send(next)
            let response = try await call.nextResponse(as: StreamingOutputCallResponse.self)
            #expect(response?.payload?.body.count == responseSize)
        }
        call.closeRequests()
        #expect(try await call.nextResponse(as: StreamingOutputCallResponse.self) == nil)
        #expect(await call.status() == nil)
    }

    @Test func fullDuplexWithNoRequestsAnswersNothing() async throws {
        let call = try InMemoryCall(service, TestService.method("FullDuplexCall"))
        call.closeRequests()
        #expect(try await call.remainingResponses(as: StreamingOutputCallResponse.self).isEmpty)
        #expect(await call.status() == nil)
    }

    @Test func fullDuplexEndsWithTheEchoedStatusAndEchoesMetadata() async throws {
        let metadata: Metadata = [
            "x-grpc-test-echo-initial": "test_initial_metadata_value",
            "x-grpc-test-echo-trailing-bin": .binary([0xAB, 0xAB, 0xAB]),
        ]
        let call = try InMemoryCall(service, TestService.method("FullDuplexCall"), metadata: metadata)
        try call.send(request([3]))
        try call.send(StreamingOutputCallRequest(responseStatus: EchoStatus(code: 2, message: "test status message")))
        try call.send(request([4]))
        let first = try await call.nextResponse(as: StreamingOutputCallResponse.self)
        #expect(first?.payload?.body.count == 3)
        #expect(await call.status() == RPCError(.unknown, "test status message"))
        #expect(call.stream.responses.count == 0)
        #expect(call.context.response.initial[string: "x-grpc-test-echo-initial"] == "test_initial_metadata_value")
        #expect(call.context.response.trailing[binary: "x-grpc-test-echo-trailing-bin"] == [0xAB, 0xAB, 0xAB])
    }

    @Test func fullDuplexStopsWhenCancelledWhileSleeping() async throws {
        let call = try InMemoryCall(service, TestService.method("FullDuplexCall"))
        try call.send(request([1], intervalUs: 60_000_000))
        try await Task.sleep(for: .milliseconds(20))
        call.cancel()
        #expect(await call.status() != nil)
        #expect(call.stream.responses.count == 0)
    }

    @Test func halfDuplexAnswersOnlyAfterTheCallerHalfCloses() async throws {
        let call = try InMemoryCall(service, TestService.method("HalfDuplexCall"))
        try call.send(request([1, 2]))
        try call.send(request([3]))
        try await Task.sleep(for: .milliseconds(50))
        #expect(call.stream.responses.count == 0)
        call.closeRequests()
        let responses = try await call.remainingResponses(as: StreamingOutputCallResponse.self)
        #expect(sizes(responses) == [1, 2, 3])
        #expect(await call.status() == nil)
    }
}
