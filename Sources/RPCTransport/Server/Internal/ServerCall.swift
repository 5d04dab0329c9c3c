/// A call whose request headers were accepted, handed from a connection to the server
/// to run under its task group.
struct ServerCall: Sendable {
    /// The stream the call runs on.
    let handle: ServerStreamHandle
    /// The registered handler for the method.
    let handler: RPCRouter.Handler
    /// The context handed to interceptors and the handler.
    let context: ServerContext
    /// Where the call's count and duration go.
    let metrics: ServerMethodMetrics
}
