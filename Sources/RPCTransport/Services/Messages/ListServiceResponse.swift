internal import CProtobufC
internal import CGRPCProtos

/// The services a server offers (`grpc.reflection.v1.ListServiceResponse`).
struct ListServiceResponse: Sendable, Hashable {
    /// One entry per service.
    var services: [ServiceResponse]

    init(services: [ServiceResponse] = []) {
        self.services = services
    }
}

extension ListServiceResponse: ProtobufCCodable {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__reflection__v1__list_service_response__init)
    }

    init(cStruct: UnsafeMutablePointer<Grpc__Reflection__V1__ListServiceResponse>) {
        services = ProtobufCField.messages(
            cStruct.pointee.service,
            count: cStruct.pointee.n_service,
            ServiceResponse.init(cStruct:)
        )
    }

    func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Reflection__V1__ListServiceResponse> {
        let message = arena.allocate(Grpc__Reflection__V1__ListServiceResponse.self)
        grpc__reflection__v1__list_service_response__init(message)
        message.pointee.n_service = services.count
        message.pointee.service = arena.messages(services) { $0.cStruct(in: arena) }
        return message
    }
}
