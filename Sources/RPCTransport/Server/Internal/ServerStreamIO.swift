/// The byte-level side of one server call that typed handlers drive: read request
/// messages, write response messages, finish with a status.
///
/// The HTTP/2 connection implements it; tests may implement it in memory.
protocol ServerStreamIO: Sendable {
    /// The next request message's bytes, or nil when the caller has finished sending.
    /// Throws when the call was cancelled or the request stream is invalid.
    nonisolated(nonsending) func nextMessage() async throws -> [UInt8]?

    /// Sends one response message, suspending while too much is already queued.
    nonisolated(nonsending) func send(_ message: [UInt8]) async throws

    /// Ends the call: an optional last message, then the status and trailers.
    nonisolated(nonsending) func finish(lastMessage: [UInt8]?, status: RPCError?) async
}
