internal import CProtobufC
internal import CGRPCProtos

/// One service a server offers (`grpc.reflection.v1.ServiceResponse`).
struct ServiceResponse: Sendable, Hashable {
    /// The fully qualified service name.
    var name: String

    init(name: String = "") {
        self.name = name
    }
}

extension ServiceResponse: ProtobufCCodable {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__reflection__v1__service_response__init)
    }

    init(cStruct: UnsafeMutablePointer<Grpc__Reflection__V1__ServiceResponse>) {
        name = ProtobufCField.string(cStruct.pointee.name)
    }

    func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Reflection__V1__ServiceResponse> {
        let message = arena.allocate(Grpc__Reflection__V1__ServiceResponse.self)
        grpc__reflection__v1__service_response__init(message)
        message.pointee.name = arena.string(name)
        return message
    }
}
