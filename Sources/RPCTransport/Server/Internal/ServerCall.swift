/// A call whose request headers were accepted, handed from a connection to the server
/// to run under its task group.
///
/// A class: it passes through a queue and into a task, and copying the context it
/// carries would retain and release each of its references every time.
final class ServerCall: Sendable {
    /// The stream the call runs on.
    let handle: ServerStreamHandle
    /// The registered handler for the method.
    let handler: RPCRouter.Handler
    /// The context handed to interceptors and the handler.
    let context: ServerContext
    /// Where the call's count and duration go.
    let metrics: ServerMethodMetrics

    init(handle: ServerStreamHandle, handler: @escaping RPCRouter.Handler, context: ServerContext, metrics: ServerMethodMetrics) {
        self.handle = handle
        self.handler = handler
        self.context = context
        self.metrics = metrics
    }
}
