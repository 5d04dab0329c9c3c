@testable import RPCTransport
import Testing

@Suite struct ReflectionMessagesTests {
    static let requests: [ServerReflectionRequest] = [
        ServerReflectionRequest(host: "h", messageRequest: .fileByFilename("a/b.proto")),
        ServerReflectionRequest(host: "", messageRequest: .fileContainingSymbol("pkg.Ünïcode")),
        ServerReflectionRequest(messageRequest: .fileContainingExtension(ExtensionRequest(containingType: "pkg.M", extensionNumber: -7))),
        ServerReflectionRequest(messageRequest: .allExtensionNumbersOfType("pkg.M")),
        ServerReflectionRequest(messageRequest: .listServices("")),
        ServerReflectionRequest(host: "only-host"),
    ]

    static let responses: [ServerReflectionResponse] = [
        ServerReflectionResponse(
            validHost: "h", originalRequest: requests[0],
            messageResponse: .fileDescriptorResponse(FileDescriptorResponse(fileDescriptorProto: [[0, 1, 0], [], [9]]))
        ),
        ServerReflectionResponse(
            messageResponse: .allExtensionNumbersResponse(ExtensionNumberResponse(baseTypeName: "pkg.M", extensionNumber: [1, -2, 536_870_911]))
        ),
        ServerReflectionResponse(
            messageResponse: .listServicesResponse(ListServiceResponse(service: [ServiceResponse(name: "a.B"), ServiceResponse(name: "c.D")]))
        ),
        ServerReflectionResponse(
            originalRequest: requests[2],
            messageResponse: .errorResponse(ErrorResponse(errorCode: Int32(RPCError.Code.notFound.rawValue), errorMessage: "no ☃ here"))
        ),
        ServerReflectionResponse(validHost: "empty"),
    ]

    @Test(arguments: requests)
    func requestsRoundTrip(_ request: ServerReflectionRequest) throws {
        #expect(try ServerReflectionRequest(protobufBytes: try request.protobufBytes()) == request)
    }

    @Test(arguments: responses)
    func responsesRoundTrip(_ response: ServerReflectionResponse) throws {
        #expect(try ServerReflectionResponse(protobufBytes: try response.protobufBytes()) == response)
    }

    @Test func anEmptyOneofStringIsStillSet() throws {
        // list_services (7) = "": key 0x3A, length 0. An unset oneof encodes nothing.
        let request = ServerReflectionRequest(messageRequest: .listServices(""))
        #expect(try request.protobufBytes() == [0x3A, 0x00])
        #expect(try ServerReflectionRequest(protobufBytes: [0x3A, 0x00]) == request)
        #expect(try ServerReflectionRequest().protobufBytes() == [])
    }

    @Test func garbageFailsToDecode() {
        #expect(throws: (any Error).self) { try ServerReflectionResponse(protobufBytes: [0x22, 0x04, 0x0A, 0x09]) }
    }
}
