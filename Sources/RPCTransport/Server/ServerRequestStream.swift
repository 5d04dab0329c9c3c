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
            return try Message.decodeRequest(bytes)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(io: io) }
}

extension RPCMessage {
    /// Decodes a received message, mapping decoding failures to `INTERNAL` as the gRPC
    /// protocol requires.
    static func decodeRequest(_ bytes: [UInt8]) throws -> Self {
        do {
            return try Self(protobufBytes: bytes)
        } catch let error as RPCError {
            // A message type's own validation, such as INVALID_ARGUMENT for a field.
            throw error
        } catch {
            throw RPCError(.internalError, "could not decode the \(Self.self) message: \(error)", cause: error)
        }
    }

    /// Encodes a message to send, mapping failures to `INTERNAL`.
    func encodeMessage() throws -> [UInt8] {
        do {
            return try protobufBytes()
        } catch {
            throw RPCError(.internalError, "could not encode the \(Self.self) message", cause: error)
        }
    }
}
