/// The result of a call with a single response message.
public struct ClientResponse<Message: RPCMessage>: Sendable {
    /// The response message.
    public var message: Message
    /// Metadata the server sent with its response headers.
    public var initialMetadata: Metadata
    /// Metadata the server sent with its status.
    public var trailingMetadata: Metadata
}

/// The response messages of a streaming call, in order.
///
/// Iteration ends after the last message when the call succeeded, and throws the
/// call's ``RPCError`` otherwise.
public struct ClientResponseStream<Message: RPCMessage>: AsyncSequence, Sendable {
    public typealias Element = Message
    let call: ClientCall

    /// Metadata the server sent with its response headers; waits for them.
    public var initialMetadata: Metadata {
        get async throws { try await call.initialMetadata() }
    }

    /// Metadata the server sent with its status; empty until iteration has ended.
    public var trailingMetadata: Metadata { call.trailingMetadata }

    /// Iterates the messages.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let call: ClientCall

        /// The next message, or nil after the last one of a successful call.
        public mutating func next() async throws -> Message? {
            guard let bytes = try await call.nextMessage() else { return nil }
            return try Message.decodeMessage(bytes)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(call: call) }
}

/// Sends the request messages of a client-streaming or bidirectional call.
///
/// `write` suspends while the server is not reading fast enough.
public struct ClientRequestWriter<Message: RPCMessage>: Sendable {
    let call: ClientCall

    /// Sends one message.
    public func write(_ message: Message) async throws {
        try await call.send(message.encodeMessage())
    }
}
