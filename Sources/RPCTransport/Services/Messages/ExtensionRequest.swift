internal import CProtobufC
internal import CGRPCProtos

/// Names one extension of a message type (`grpc.reflection.v1.ExtensionRequest`).
struct ExtensionRequest: Sendable, Hashable {
    /// The fully qualified containing type.
    var containingType: String
    /// The extension number.
    var extensionNumber: Int32

    init(containingType: String = "", extensionNumber: Int32 = 0) {
        self.containingType = containingType
        self.extensionNumber = extensionNumber
    }
}

extension ExtensionRequest: ProtobufCCodable {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__reflection__v1__extension_request__init)
    }

    init(cStruct: UnsafeMutablePointer<Grpc__Reflection__V1__ExtensionRequest>) {
        containingType = ProtobufCField.string(cStruct.pointee.containing_type)
        extensionNumber = cStruct.pointee.extension_number
    }

    func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Reflection__V1__ExtensionRequest> {
        let message = arena.allocate(Grpc__Reflection__V1__ExtensionRequest.self)
        grpc__reflection__v1__extension_request__init(message)
        message.pointee.containing_type = arena.string(containingType)
        message.pointee.extension_number = extensionNumber
        return message
    }
}
