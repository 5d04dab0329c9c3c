public import RPCTransport

/// The benchmark echo (`sessiongw.benchmark.v1.Echo`): `Unary` answers with the
/// request unchanged; `ServerStream` answers with as many messages of the size the
/// request asks for.
///
/// Requests are decoded and responses encoded by libprotobuf-c like any other message,
/// so the benchmark measures realistic calls.
public struct EchoService: RPCService {
    /// The fully qualified service name.
    public static let serviceName = "sessiongw.benchmark.v1.Echo"
    /// `/sessiongw.benchmark.v1.Echo/Unary`.
    public static let unary = RPCMethod(service: serviceName, method: "Unary")
    /// `/sessiongw.benchmark.v1.Echo/ServerStream`.
    public static let serverStream = RPCMethod(service: serviceName, method: "ServerStream")

    /// The most messages one `ServerStream` call may ask for.
    public static let maxStreamMessageCount: UInt32 = 1_000_000
    /// The largest payload one `ServerStream` message may ask for, in bytes.
    public static let maxStreamPayloadSize: UInt32 = 4 * 1024 * 1024

    /// Creates the service.
    public init() {}

    /// Registers `Unary` and `ServerStream`.
    public func registerMethods(with router: inout RPCRouter) {
        router.unary(Self.unary) { (request: EchoMessage, _: ServerContext) in request }
        router.serverStreaming(Self.serverStream, handler: Self.streamMessages)
    }

    static func streamMessages(
        _ request: StreamRequest, responses: ServerResponseWriter<EchoMessage>, context: ServerContext
    ) async throws {
        guard request.messageCount <= Self.maxStreamMessageCount,
            request.payloadSize <= Self.maxStreamPayloadSize
        else {
            throw RPCError(
                .invalidArgument,
                "at most \(Self.maxStreamMessageCount) messages of at most \(Self.maxStreamPayloadSize) bytes")
        }
        let message = EchoMessage(payload: [UInt8](repeating: 0, count: Int(request.payloadSize)))
        for _ in 0..<request.messageCount { try await responses.write(message) }
    }
}
