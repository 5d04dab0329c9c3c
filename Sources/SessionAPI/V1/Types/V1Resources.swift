package import CProtobufC
package import CProtos
package import RPCTransport

/// Compute for a session: CPU, memory and GPUs.
///
/// The `sessiongw.v1.Resources` message.
public struct V1Resources: Sendable, Hashable {
    /// CPU in thousandths of a core (2000 = 2 CPUs); more than 0.
    public var cpuMillis: Int64
    /// Memory in bytes; more than 0.
    public var memoryBytes: Int64
    /// Whole GPUs; 0 or more.
    public var gpus: Int32

    /// Creates the message; every field defaults to its protobuf default.
    public init(
        cpuMillis: Int64 = 0,
        memoryBytes: Int64 = 0,
        gpus: Int32 = 0
    ) {
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
        self.gpus = gpus
    }
}

extension V1Resources: APIMessage {
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: sessiongw__v1__resources__init)
    }

    package init(cStruct: UnsafeMutablePointer<Sessiongw__V1__Resources>) {
        let c = cStruct.pointee
        cpuMillis = c.cpu_millis
        memoryBytes = c.memory_bytes
        gpus = c.gpus
    }

    package func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Sessiongw__V1__Resources> {
        let message = arena.allocate(Sessiongw__V1__Resources.self)
        sessiongw__v1__resources__init(message)
        message.pointee.cpu_millis = cpuMillis
        message.pointee.memory_bytes = memoryBytes
        message.pointee.gpus = gpus
        return message
    }
}
