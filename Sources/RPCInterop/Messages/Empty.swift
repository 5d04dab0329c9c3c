package import CProtobufC
package import CGRPCProtos
package import RPCTransport

/// A message with no fields (`grpc.testing.Empty`), the request and response of
/// `EmptyCall`.
public struct Empty: Sendable, Hashable {
    /// Creates the empty message.
    public init() {}
}

extension Empty: ProtobufCCodable {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__testing__empty__init)
    }

    package init(cStruct: UnsafeMutablePointer<Grpc__Testing__Empty>) {}

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Testing__Empty> {
        let message = arena.allocate(Grpc__Testing__Empty.self)
        grpc__testing__empty__init(message)
        return message
    }
}
