/// Sends the response messages of a server-streaming or bidirectional call.
///
/// `write` suspends while the caller is not reading fast enough, so a slow reader
/// never makes the server buffer without bound.
public struct ServerResponseWriter<Message: RPCMessage>: Sendable {
    let io: any ServerStreamIO

    init(io: any ServerStreamIO) { self.io = io }

    /// Sends one message. Throws ``RPCError`` with `CANCELLED` when the call is gone.
    public func write(_ message: Message) async throws {
        try await io.send(message.encodeMessage())
    }

    /// Sends each message in order.
    public func write(contentsOf messages: some Sequence<Message>) async throws {
        for message in messages { try await write(message) }
    }
}
