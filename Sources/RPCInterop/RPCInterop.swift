public import RPCTransport

/// The gRPC interoperability test service and the benchmark echo, with the message
/// types they exchange.
public enum RPCInterop {
    /// Every service of this module: ``TestService`` and ``EchoService``.
    public static var services: [any RPCService] {
        [TestService(), EchoService()]
    }
}
