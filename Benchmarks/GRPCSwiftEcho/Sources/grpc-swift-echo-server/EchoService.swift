internal import GRPCCore

/// `sessiongw.benchmark.v1.Echo`, registered without generated code.
///
/// `Unary` answers each request with the request's bytes, which for the benchmark's
/// `EchoMessage` is the same answer a protobuf-decoding service would give.
/// `ServerStream` decodes its `StreamRequest` by hand (``StreamRequest``) and answers with
/// that many `EchoMessage`s, each encoded once up front as a protobuf service would.
struct EchoService: RegistrableRPCService {
    static let unary = MethodDescriptor(
        fullyQualifiedService: "sessiongw.benchmark.v1.Echo",
        method: "Unary",
        type: .unary
    )
    static let serverStream = MethodDescriptor(
        fullyQualifiedService: "sessiongw.benchmark.v1.Echo",
        method: "ServerStream",
        type: .serverStreaming
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
        router.registerHandler(
            forMethod: Self.serverStream,
            deserializer: RawBytesDeserializer(),
            serializer: RawBytesSerializer()
        ) { streamingRequest, _ in
            // The same server-streaming adaptation generated code performs.
            let request = try await ServerRequest(stream: streamingRequest)
            let streamRequest = try StreamRequest(protobufBytes: request.message)
            let message = StreamRequest.echoMessage(payloadSize: Int(streamRequest.payloadSize))
            return StreamingServerResponse { writer in
                for _ in 0..<streamRequest.messageCount { try await writer.write(message) }
                return [:]
            }
        }
    }
}
