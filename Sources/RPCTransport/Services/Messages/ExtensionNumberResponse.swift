internal import CProtobufC
internal import CGRPCProtos

/// The extension numbers of a message type
/// (`grpc.reflection.v1.ExtensionNumberResponse`).
struct ExtensionNumberResponse: Sendable, Hashable {
    /// The fully qualified type.
    var baseTypeName: String
    /// Its extension numbers.
    var extensionNumbers: [Int32]

    init(baseTypeName: String = "", extensionNumbers: [Int32] = []) {
        self.baseTypeName = baseTypeName
        self.extensionNumbers = extensionNumbers
    }
}

extension ExtensionNumberResponse: ProtobufCCodable {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__reflection__v1__extension_number_response__init)
    }

    init(cStruct: UnsafeMutablePointer<Grpc__Reflection__V1__ExtensionNumberResponse>) {
        baseTypeName = ProtobufCField.string(cStruct.pointee.base_type_name)
        extensionNumbers = ProtobufCField.array(
            cStruct.pointee.extension_number,
            count: cStruct.pointee.n_extension_number
        )
    }

    func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Reflection__V1__ExtensionNumberResponse> {
        let message = arena.allocate(Grpc__Reflection__V1__ExtensionNumberResponse.self)
        grpc__reflection__v1__extension_number_response__init(message)
        message.pointee.base_type_name = arena.string(baseTypeName)
        message.pointee.n_extension_number = extensionNumbers.count
        message.pointee.extension_number = arena.array(extensionNumbers)
        return message
    }
}
