public import RPCTransport

/// The gRPC interoperability test service (`grpc.testing.TestService`), answering as
/// the server side of the gRPC interop test descriptions requires.
///
/// - Every method echoes `x-grpc-test-echo-initial` request metadata as initial
///   metadata and `x-grpc-test-echo-trailing-bin` as trailing metadata.
/// - A request carrying a `response_status` with a non-zero code ends the call with
///   that code and message, before the request is otherwise answered.
/// - `expect_compressed` set to true fails with `INVALID_ARGUMENT`: the transport
///   does not decompress, so such a request was not compressed. Asking for a
///   compressed response fails with `UNIMPLEMENTED`.
/// - `UnimplementedCall` is not registered, so the transport answers it with
///   `UNIMPLEMENTED`.
///
/// ```swift
/// let server = RPCServer(configuration: .defaults, services: [TestService()], logger: logger)
/// ```
public struct TestService: RPCService {
    /// The fully qualified service name.
    public static let serviceName = "grpc.testing.TestService"
    /// The request metadata key echoed back in the initial metadata.
    public static let echoInitialMetadataKey = "x-grpc-test-echo-initial"
    /// The request metadata key echoed back in the trailing metadata.
    public static let echoTrailingMetadataKey = "x-grpc-test-echo-trailing-bin"

    /// Creates the service.
    public init() {}

    /// Registers every method except `UnimplementedCall`.
    public func registerMethods(with router: inout RPCRouter) {
        router.unary(Self.method("EmptyCall"), handler: Self.emptyCall)
        router.unary(Self.method("UnaryCall"), handler: Self.unaryCall)
        router.unary(Self.method("CacheableUnaryCall"), handler: Self.cacheableUnaryCall)
        router.serverStreaming(Self.method("StreamingOutputCall"), handler: Self.streamingOutputCall)
        router.clientStreaming(Self.method("StreamingInputCall"), handler: Self.streamingInputCall)
        router.bidirectional(Self.method("FullDuplexCall"), handler: Self.fullDuplexCall)
        router.bidirectional(Self.method("HalfDuplexCall"), handler: Self.halfDuplexCall)
    }

    /// A method of this service.
    public static func method(_ name: String) -> RPCMethod {
        RPCMethod(service: serviceName, method: name)
    }

    static func emptyCall(_ request: Empty, context: ServerContext) -> Empty {
        echoMetadata(context)
        return Empty()
    }

    static func unaryCall(_ request: SimpleRequest, context: ServerContext) throws -> SimpleResponse {
        echoMetadata(context)
        try finishIfAsked(request.responseStatus)
        try requireUncompressed(request.expectCompressed)
        try requireUncompressedResponse(request.responseCompressed)
        return SimpleResponse(payload: try payload(type: request.responseType, size: request.responseSize))
    }

    /// Ignores the request and answers with the current time in nanoseconds, as
    /// decimal ASCII, and `cache-control` initial metadata that lets a proxy cache it.
    static func cacheableUnaryCall(_ request: SimpleRequest, context: ServerContext) -> SimpleResponse {
        echoMetadata(context)
        context.response.initial.add("cache-control", "max-age=60, public")
        let timestamp = String(WallClock.nanosecondsSinceEpoch())
        return SimpleResponse(payload: Payload(type: .compressable, body: Array(timestamp.utf8)))
    }

    static func streamingOutputCall(
        _ request: StreamingOutputCallRequest,
        responses: ServerResponseWriter<StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        echoMetadata(context)
        try finishIfAsked(request.responseStatus)
        try await respond(to: request, with: responses)
    }

    static func streamingInputCall(
        _ requests: ServerRequestStream<StreamingInputCallRequest>,
        context: ServerContext
    ) async throws -> StreamingInputCallResponse {
        echoMetadata(context)
        var total = 0
        for try await request in requests {
            try requireUncompressed(request.expectCompressed)
            total += request.payload?.body.count ?? 0
        }
        guard let size = Int32(exactly: total) else {
            throw RPCError(.outOfRange, "the aggregated payload size \(total) does not fit an int32")
        }
        return StreamingInputCallResponse(aggregatedPayloadSize: size)
    }

    /// Answers each request as soon as it arrives.
    static func fullDuplexCall(
        _ requests: ServerRequestStream<StreamingOutputCallRequest>,
        responses: ServerResponseWriter<StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        echoMetadata(context)
        for try await request in requests {
            try finishIfAsked(request.responseStatus)
            try await respond(to: request, with: responses)
        }
    }

    /// Reads every request until the caller half-closes, then answers them in order.
    static func halfDuplexCall(
        _ requests: ServerRequestStream<StreamingOutputCallRequest>,
        responses: ServerResponseWriter<StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        echoMetadata(context)
        var received: [StreamingOutputCallRequest] = []
        for try await request in requests {
            try finishIfAsked(request.responseStatus)
            received.append(request)
        }
        for request in received {
            try await respond(to: request, with: responses)
        }
    }
}

extension TestService {
    /// Copies the echo keys of the request metadata to the response metadata.
    static func echoMetadata(_ context: ServerContext) {
        for value in context.metadata[values: echoInitialMetadataKey] {
            context.response.initial.add(echoInitialMetadataKey, value)
        }
        for value in context.metadata[values: echoTrailingMetadataKey] {
            context.response.trailing.add(echoTrailingMetadataKey, value)
        }
    }

    /// Throws the status a request asks the call to end with, unless it asks for OK.
    static func finishIfAsked(_ status: EchoStatus?) throws {
        guard let status, status.code != 0 else { return }
        throw RPCError(RPCError.Code(rawValue: Int(status.code)), status.message)
    }

    /// Fails a request that expected to arrive compressed: this transport does not
    /// decompress, so any request that reaches a handler was sent uncompressed.
    static func requireUncompressed(_ expectCompressed: BoolValue?) throws {
        guard expectCompressed?.value == true else { return }
        throw RPCError(.invalidArgument, "expected a compressed request, but it arrived uncompressed")
    }

    /// Fails a request for a compressed response, which this transport cannot send.
    static func requireUncompressedResponse(_ compressed: BoolValue?) throws {
        guard compressed?.value == true else { return }
        throw RPCError(.unimplemented, "compressed responses are not supported by this server")
    }

    /// A payload of `size` zero bytes of the requested type.
    static func payload(type: PayloadType, size: Int32) throws -> Payload {
        try checkPayload(type: type, size: size)
        return Payload(zeros: Int(size))
    }

    /// Fails when ``payload(type:size:)`` cannot answer with these values.
    static func checkPayload(type: PayloadType, size: Int32) throws {
        guard type == .compressable else {
            throw RPCError(.invalidArgument, "response type \(type.rawValue) is not supported; use COMPRESSABLE (0)")
        }
        guard size >= 0 else {
            throw RPCError(.invalidArgument, "response size must not be negative, got \(size)")
        }
    }

    /// Sends one response per entry of `response_parameters`, each after sleeping its
    /// `interval_us`. Every entry is checked before the first response goes out.
    static func respond(
        to request: StreamingOutputCallRequest,
        with responses: ServerResponseWriter<StreamingOutputCallResponse>
    ) async throws {
        for parameters in request.responseParameters {
            try requireUncompressedResponse(parameters.compressed)
            try checkPayload(type: request.responseType, size: parameters.size)
        }
        for parameters in request.responseParameters {
            if parameters.intervalUs > 0 {
                try await Task.sleep(for: .microseconds(parameters.intervalUs))
            }
            let body = try payload(type: request.responseType, size: parameters.size)
            try await responses.write(StreamingOutputCallResponse(payload: body))
        }
    }
}
