/// A set of RPC methods served together, such as `grpc.health.v1.Health`.
///
/// ```swift
/// struct EchoService: RPCService {
///     func registerMethods(with router: inout RPCRouter) {
///         router.unary(RPCMethod(service: "echo.Echo", method: "Get")) { (request: EchoMessage, context) in
///             request
///         }
///     }
/// }
/// ```
public protocol RPCService: Sendable {
    /// Adds the service's methods to the router.
    func registerMethods(with router: inout RPCRouter)
}
