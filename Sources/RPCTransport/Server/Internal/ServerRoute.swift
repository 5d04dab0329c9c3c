internal import Glibc
internal import Logging

/// A method one connection has already routed a call to, kept so that its later calls
/// are routed by comparing `:path` bytes: no strings built, no path split, no hashing,
/// and the call's logger made once.
final class ServerRoute {
    /// The `:path` bytes, `/service/method`.
    let path: [UInt8]
    /// The method the path names.
    let method: RPCMethod
    /// The registered handler.
    let handler: RPCRouter.Handler
    /// The connection's logger with `rpc.method` and `rpc.peer` metadata.
    let logger: Logger
    /// The method's metrics.
    let metrics: ServerMethodMetrics

    init(
        path: [UInt8], method: RPCMethod, handler: @escaping RPCRouter.Handler, logger: Logger,
        metrics: ServerMethodMetrics
    ) {
        self.path = path
        self.method = method
        self.handler = handler
        self.logger = logger
        self.metrics = metrics
    }

    /// Whether `bytes` are this route's path.
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // A route's path is never empty, so equal counts mean both have addresses.
        path.count == bytes.count && path.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
    }
}

@available(*, unavailable)
extension ServerRoute: Sendable {}
