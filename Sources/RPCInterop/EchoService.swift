public import RPCTransport

/// The benchmark echo (`sessiongw.benchmark.v1.Echo`): `Unary` answers with the
/// request unchanged.
///
/// The request is decoded and the response encoded by libprotobuf-c like any other
/// message, so the benchmark measures a realistic unary call.
public struct EchoService: RPCService {
    /// The fully qualified service name.
    public static let serviceName = "sessiongw.benchmark.v1.Echo"
    /// The one method, `/sessiongw.benchmark.v1.Echo/Unary`.
    public static let unary = RPCMethod(service: serviceName, method: "Unary")

    /// Creates the service.
    public init() {}

    /// Registers `Unary`.
    public func registerMethods(with router: inout RPCRouter) {
        router.unary(Self.unary) { (request: EchoMessage, _: ServerContext) in request }
    }
}
