internal import CProtobufC
internal import CGRPCProtos

/// A health query (`grpc.health.v1.HealthCheckRequest`).
struct HealthCheckRequest: Sendable, Hashable {
    /// The fully qualified service name; empty for the whole server.
    var service: String

    init(service: String = "") {
        self.service = service
    }
}

extension HealthCheckRequest: ProtobufCCodable {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__health__v1__health_check_request__init)
    }

    init(cStruct: UnsafeMutablePointer<Grpc__Health__V1__HealthCheckRequest>) {
        service = ProtobufCField.string(cStruct.pointee.service)
    }

    func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Health__V1__HealthCheckRequest> {
        let message = arena.allocate(Grpc__Health__V1__HealthCheckRequest.self)
        grpc__health__v1__health_check_request__init(message)
        message.pointee.service = arena.string(service)
        return message
    }
}
