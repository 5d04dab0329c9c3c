package import CProtobufC
package import CGRPCProtos
package import RPCTransport

/// A status the server must finish the call with (`grpc.testing.EchoStatus`).
public struct EchoStatus: Sendable, Hashable {
    /// The gRPC status code; 0 (OK) asks for no error.
    public var code: Int32
    /// The status message.
    public var message: String

    /// Creates a status to echo.
    public init(code: Int32 = 0, message: String = "") {
        self.code = code
        self.message = message
    }
}

extension EchoStatus: ProtobufCCodable {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__testing__echo_status__init)
    }

    package init(cStruct: UnsafeMutablePointer<Grpc__Testing__EchoStatus>) {
        code = cStruct.pointee.code
        message = ProtobufCField.string(cStruct.pointee.message)
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Testing__EchoStatus> {
        let status = arena.allocate(Grpc__Testing__EchoStatus.self)
        grpc__testing__echo_status__init(status)
        status.pointee.code = code
        status.pointee.message = arena.string(message)
        return status
    }
}
