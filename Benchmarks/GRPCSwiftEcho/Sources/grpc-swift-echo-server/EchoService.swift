internal import GRPCCore

/// `sessiongw.benchmark.v1.Echo`, registered without generated code.
///
/// `Unary` answers each request with the request's bytes, which for the benchmark's
/// `EchoMessage` is the same answer a protobuf-decoding service would give.
struct EchoService: RegistrableRPCService {
    static let unary = MethodDescriptor(
        fullyQualifiedService: "sessiongw.benchmark.v1.Echo",
        method: "Unary",
        type: .unary
    )

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: Self.unary,
            deserializer: RawBytesDeserializer(),
            serializer: RawBytesSerializer()
        ) { streamingRequest, _ in
            // The same unary adaptation generated code performs.
            let request = try await ServerRequest(stream: streamingRequest)
            return StreamingServerResponse(single: ServerResponse(message: request.message))
        }
    }
}
