import RPCInterop
@testable import RPCTransport
import Testing

@Suite(.timeLimit(.minutes(1))) struct ReflectionServiceTests {
    static let info = RPCMethod(service: "grpc.reflection.v1.ServerReflection", method: "ServerReflectionInfo")
    let reflection = ReflectionService(services: [HealthService(), TestService()], files: InteropProtoFiles.all)

    static let v1alphaInfo = RPCMethod(service: "grpc.reflection.v1alpha.ServerReflection", method: "ServerReflectionInfo")

    /// Sends each request on one call and returns the answers, in order.
    private func ask(
        _ requests: [ServerReflectionRequest.MessageRequest?], method: RPCMethod = Self.info
    ) async throws -> [ServerReflectionResponse] {
        let call = try InMemoryCall(reflection, method)
        for request in requests { try call.send(ServerReflectionRequest(host: "localhost", messageRequest: request)) }
        call.closeRequests()
        let responses = try await call.remainingResponses(as: ServerReflectionResponse.self)
        #expect(await call.status() == nil)
        return responses
    }

    private func ask(_ request: ServerReflectionRequest.MessageRequest) async throws -> ServerReflectionResponse.MessageResponse? {
        let responses = try await ask([request])
        #expect(responses.count == 1)
        #expect(responses.first?.originalRequest == ServerReflectionRequest(host: "localhost", messageRequest: request))
        #expect(responses.first?.validHost == "localhost")
        return responses.first?.messageResponse
    }

    /// The `name` (field 1) of each serialized FileDescriptorProto, read by hand: protoc
    /// writes it first, as key 0x0A and a one-byte length for these short names.
    private func fileNames(_ answer: ServerReflectionResponse.MessageResponse?) -> [String] {
        guard case .fileDescriptorResponse(let files) = answer else { return [] }
        return files.fileDescriptorProto.map { bytes in
            guard bytes.count > 2, bytes[0] == 0x0A, bytes[1] < 0x80 else { return "<unexpected>" }
            return String(decoding: bytes[2..<2 + Int(bytes[1])], as: UTF8.self)
        }
    }

    private func errorCode(_ answer: ServerReflectionResponse.MessageResponse?) -> Int32? {
        guard case .errorResponse(let error) = answer else { return nil }
        return error.errorCode
    }

    @Test func listsTheGivenServicesAndItself() async throws {
        let answer = try await ask(.listServices(""))
        guard case .listServicesResponse(let list) = answer else {
            Issue.record("expected a service list, got \(String(describing: answer))")
            return
        }
        #expect(list.service.map(\.name) == [
            "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
            "grpc.testing.TestService",
        ])
    }

    /// Tools that speak only the pre-release name get the same answers.
    @Test func theV1alphaNameAnswersTheSame() async throws {
        let questions: [ServerReflectionRequest.MessageRequest?] = [
            .listServices(""), .fileContainingSymbol("grpc.testing.TestService"), .fileByFilename("nope.proto"),
        ]
        let v1 = try await ask(questions)
        let v1alpha = try await ask(questions, method: Self.v1alphaInfo)
        #expect(v1alpha.count == 3)
        #expect(v1alpha == v1)
        #expect(fileNames(try await ask(.fileContainingSymbol("grpc.reflection.v1alpha.ServerReflection"))) == [
            "grpc/reflection/v1alpha/reflection.proto", "grpc/reflection/v1/reflection.proto",
        ])
    }

    @Test func fileByNameAnswersTheFileThenItsDependencies() async throws {
        let answer = try await ask(.fileByFilename("grpc/testing/test.proto"))
        #expect(fileNames(answer) == [
            "grpc/testing/test.proto", "grpc/testing/empty.proto", "grpc/testing/messages.proto",
        ])
        #expect(fileNames(try await ask(.fileByFilename("grpc/health/v1/health.proto"))) == ["grpc/health/v1/health.proto"])
    }

    @Test func fileDescriptorsAreTheGeneratedBytes() async throws {
        let answer = try await ask(.fileByFilename("sessiongw/benchmark/v1/echo.proto"))
        guard case .fileDescriptorResponse(let files) = answer else {
            Issue.record("expected file descriptors, got \(String(describing: answer))")
            return
        }
        #expect(files.fileDescriptorProto == FileDescriptorIndex(files: InteropProtoFiles.all).descriptorsWithDependencies(
            ofFile: "sessiongw/benchmark/v1/echo.proto"
        ))
        #expect(files.fileDescriptorProto.first?.count == 383)
    }

    @Test(arguments: [
        ("grpc.testing.TestService", ["grpc/testing/test.proto", "grpc/testing/empty.proto", "grpc/testing/messages.proto"]),
        ("grpc.testing.TestService.FullDuplexCall", ["grpc/testing/test.proto", "grpc/testing/empty.proto", "grpc/testing/messages.proto"]),
        ("grpc.health.v1.HealthCheckResponse.ServingStatus", ["grpc/health/v1/health.proto"]),
        ("grpc.testing.SimpleRequest", ["grpc/testing/messages.proto"]),
        ("sessiongw.benchmark.v1.Echo.Unary", ["sessiongw/benchmark/v1/echo.proto"]),
    ])
    func fileContainingSymbolAnswersItsFileThenDependencies(symbol: String, files: [String]) async throws {
        #expect(fileNames(try await ask(.fileContainingSymbol(symbol))) == files)
    }

    @Test(arguments: [
        ServerReflectionRequest.MessageRequest.fileByFilename("grpc/testing/nope.proto"),
        .fileContainingSymbol("grpc.testing.NoSuchService"),
        .fileContainingSymbol("grpc.testing"),
        .fileContainingExtension(ExtensionRequest(containingType: "grpc.testing.SimpleRequest", extensionNumber: 100)),
        .allExtensionNumbersOfType("grpc.testing.NoSuchMessage"),
        .allExtensionNumbersOfType("grpc.testing.TestService"),
        .allExtensionNumbersOfType("grpc.testing.PayloadType"),
    ])
    func unknownNamesAnswerNotFound(request: ServerReflectionRequest.MessageRequest) async throws {
        #expect(errorCode(try await ask(request)) == 5)
    }

    @Test func withoutFilesOnlyGRPCsOwnProtosAreDescribed() async throws {
        let bare = ReflectionService(services: [HealthService(), TestService()])
        for request: ServerReflectionRequest.MessageRequest in [
            .fileByFilename("grpc/testing/test.proto"), .fileContainingSymbol("grpc.testing.TestService"),
            .fileByFilename("sessiongw/benchmark/v1/echo.proto"),
        ] {
            let call = try InMemoryCall(bare, Self.info)
            try call.send(ServerReflectionRequest(host: "localhost", messageRequest: request))
            call.closeRequests()
            let answers = try await call.remainingResponses(as: ServerReflectionResponse.self)
            #expect(errorCode(answers.first?.messageResponse) == 5, "\(request)")
        }
        let call = try InMemoryCall(bare, Self.info)
        try call.send(ServerReflectionRequest(host: "localhost", messageRequest: .fileContainingSymbol("grpc.health.v1.Health")))
        call.closeRequests()
        let answers = try await call.remainingResponses(as: ServerReflectionResponse.self)
        #expect(fileNames(answers.first?.messageResponse) == ["grpc/health/v1/health.proto"])
    }

    @Test func anErrorAnswerLeavesTheStreamOpen() async throws {
        let answers = try await ask([.fileContainingSymbol("no.Such"), .fileContainingSymbol("grpc.health.v1.Health")])
        #expect(answers.count == 2)
        #expect(errorCode(answers.first?.messageResponse) == 5)
        #expect(fileNames(answers.last?.messageResponse) == ["grpc/health/v1/health.proto"])
    }

    @Test(arguments: ["grpc.testing.SimpleRequest", "grpc.reflection.v1.ServerReflectionResponse"])
    func extensionNumbersOfAKnownMessageAreEmpty(type: String) async throws {
        let answer = try await ask(.allExtensionNumbersOfType(type))
        #expect(answer == .allExtensionNumbersResponse(ExtensionNumberResponse(baseTypeName: type, extensionNumber: [])))
    }

    @Test func aRequestAskingNothingFailsTheCall() async throws {
        let call = try InMemoryCall(reflection, Self.info)
        try call.send(ServerReflectionRequest(host: "", messageRequest: nil))
        call.closeRequests()
        #expect(await call.status()?.code == .invalidArgument)
    }
}
