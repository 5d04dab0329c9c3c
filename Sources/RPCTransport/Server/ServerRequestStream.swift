/// The request messages of a client-streaming or bidirectional call, in order.
///
/// Iteration ends when the caller half-closes. It throws ``RPCError`` with
/// `CANCELLED` when the caller cancels, `INTERNAL` when a message does not decode and
/// `RESOURCE_EXHAUSTED` when one exceeds the size limit.
public struct ServerRequestStream<Message: RPCMessage>: AsyncSequence, Sendable {
    public typealias Element = Message
    let io: any ServerStreamIO

    init(io: any ServerStreamIO) { self.io = io }

    /// Iterates the messages.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let io: any ServerStreamIO

        /// The next message, or nil at the end of the stream.
        public mutating func next() async throws -> Message? {
            guard let bytes = try await io.nextMessage() else { return nil }
            return try Message.decodeMessage(bytes)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(io: io) }
}
