extension RPCMessage {
    /// Decodes a received message, request or response. A decoding failure is
    /// `INTERNAL`, as the gRPC protocol requires; an ``RPCError`` thrown by a message
    /// type's own validation (such as `INVALID_ARGUMENT` naming a field) is kept.
    static func decodeMessage(_ bytes: [UInt8]) throws -> Self {
        do {
            return try Self(protobufBytes: bytes)
        } catch let error as RPCError {
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
