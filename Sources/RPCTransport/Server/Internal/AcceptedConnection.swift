internal import NIOCore

/// An accepted connection with its HTTP/2 handler installed, handed from a listener to
/// the server's task group.
struct AcceptedConnection: Sendable {
    /// The connection's channel.
    let channel: any Channel
    /// Its HTTP/2 handler, used to start graceful shutdown.
    let handler: NIOLoopBound<ServerConnectionHandler>
    /// Calls whose headers were accepted, in arrival order; finishes when the
    /// connection closes.
    let calls: ServerCallQueue
}
