import RPCInterop
@testable import RPCTransport
import Testing

@Suite(.timeLimit(.minutes(1))) struct TestServiceTests {
    let service = TestService()
    let echoMetadata: Metadata = [
        "x-grpc-test-echo-initial": "test_initial_metadata_value",
        "x-grpc-test-echo-trailing-bin": .binary([0xAB, 0xAB, 0xAB]),
    ]

    private func unary(
        _ request: SimpleRequest,
        method: String = "UnaryCall",
        metadata: Metadata = [:]
    ) async throws -> (result: Result<SimpleResponse, RPCError>, context: ServerContext) {
        try await InMemoryCall.unary(service, TestService.method(method), request, as: SimpleResponse.self, metadata: metadata)
    }

    @Test func registersEveryMethodButUnimplementedCall() {
        var router = RPCRouter()
        service.registerMethods(with: &router)
        let names = ["EmptyCall", "UnaryCall", "CacheableUnaryCall", "StreamingOutputCall",
                     "StreamingInputCall", "FullDuplexCall", "HalfDuplexCall"]
        for name in names {
            #expect(router.handler(forPath: TestService.method(name).path) != nil, "\(name)")
        }
        #expect(router.handler(forPath: TestService.method("UnimplementedCall").path) == nil)
        #expect(router.serviceNames == ["grpc.testing.TestService"])
    }

    @Test func emptyCallAnswersEmpty() async throws {
        let (result, _) = try await InMemoryCall.unary(service, TestService.method("EmptyCall"), Empty(), as: Empty.self)
        #expect(try result.get() == Empty())
    }

    @Test func largeUnaryAnswersZerosOfTheRequestedSize() async throws {
        let request = SimpleRequest(responseSize: 314_159, payload: Payload(zeros: 271_828))
        let response = try await unary(request).result.get()
        #expect(response.payload?.type == .compressable)
        #expect(response.payload?.body.count == 314_159)
        #expect(response.payload?.body.allSatisfy { $0 == 0 } == true)
    }

    @Test(arguments: [(2, "test status message"), (13, "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n")])
    func unaryEndsWithTheEchoedStatus(code: Int, message: String) async throws {
        let request = SimpleRequest(responseStatus: EchoStatus(code: Int32(code), message: message))
        let result = try await unary(request).result
        #expect(throws: RPCError(RPCError.Code(rawValue: code), message)) { try result.get() }
    }

    @Test func anOKEchoStatusIsAnswered() async throws {
        let request = SimpleRequest(responseSize: 3, responseStatus: EchoStatus(code: 0, message: "ignored"))
        #expect(try await unary(request).result.get().payload?.body == [0, 0, 0])
    }

    @Test func unaryEchoesMetadata() async throws {
        let (result, context) = try await unary(SimpleRequest(responseSize: 1), metadata: echoMetadata)
        _ = try result.get()
        #expect(context.response.initial[string: "x-grpc-test-echo-initial"] == "test_initial_metadata_value")
        #expect(context.response.trailing[binary: "x-grpc-test-echo-trailing-bin"] == [0xAB, 0xAB, 0xAB])
        #expect(context.response.initial[values: "x-grpc-test-echo-trailing-bin"].isEmpty)
    }

    @Test func trailingMetadataIsEchoedWhenTheCallFails() async throws {
        let request = SimpleRequest(responseStatus: EchoStatus(code: 5, message: "gone"))
        let (result, context) = try await unary(request, metadata: echoMetadata)
        #expect(throws: RPCError(.notFound, "gone")) { try result.get() }
        #expect(context.response.trailing[binary: "x-grpc-test-echo-trailing-bin"] == [0xAB, 0xAB, 0xAB])
    }

    @Test func compressionProbeFailsWithInvalidArgument() async throws {
        let probe = SimpleRequest(responseSize: 314_159, payload: Payload(zeros: 8), expectCompressed: BoolValue(true))
        let result = try await unary(probe).result
        let error = #expect(throws: RPCError.self) { try result.get() }
        #expect(error?.code == .invalidArgument)
        let uncompressed = SimpleRequest(responseSize: 4, expectCompressed: BoolValue(false))
        #expect(try await unary(uncompressed).result.get().payload?.body.count == 4)
    }

    @Test(arguments: [
        (SimpleRequest(responseSize: -1), RPCError.Code.invalidArgument),
        (SimpleRequest(responseType: .unrecognized(1), responseSize: 1), .invalidArgument),
        (SimpleRequest(responseSize: 1, responseCompressed: BoolValue(true)), .unimplemented),
    ])
    func unsupportedRequestsFailPrecisely(request: SimpleRequest, code: RPCError.Code) async throws {
        let result = try await unary(request).result
        let error = #expect(throws: RPCError.self) { try result.get() }
        #expect(error?.code == code)
    }

    @Test func cacheableUnaryAnswersATimestampAProxyMayCache() async throws {
        let (first, context) = try await unary(SimpleRequest(responseSize: 10), method: "CacheableUnaryCall")
        let second = try await unary(SimpleRequest(responseSize: 10), method: "CacheableUnaryCall").result.get()
        let body = try #require(try first.get().payload?.body)
        #expect(!body.isEmpty && body.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        #expect(second.payload?.body != body)
        #expect(context.response.initial[string: "cache-control"] == "max-age=60, public")
    }

    @Test func garbageRequestEndsTheCallWithInternal() async throws {
        let call = try InMemoryCall(service, TestService.method("UnaryCall"))
        call.send(bytes: [0x12, 0x05, 0x00])
        call.closeRequests()
        #expect(await call.status()?.code == .internalError)
    }

    @Test func echoServiceAnswersTheRequestUnchanged() async throws {
        let request = EchoMessage(payload: [0, 1, 0, 2, 0])
        let (result, _) = try await InMemoryCall.unary(EchoService(), EchoService.unary, request, as: EchoMessage.self)
        #expect(try result.get() == request)
        #expect(EchoService.unary.path == "/sessiongw.benchmark.v1.Echo/Unary")
    }
}
