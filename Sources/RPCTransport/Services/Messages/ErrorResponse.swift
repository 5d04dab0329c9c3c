internal import CProtobufC
internal import CGRPCProtos

/// Why a reflection request could not be answered
/// (`grpc.reflection.v1.ErrorResponse`).
struct ErrorResponse: Sendable, Hashable {
    /// The gRPC status code.
    var errorCode: Int32
    /// What went wrong.
    var errorMessage: String

    init(errorCode: Int32 = 0, errorMessage: String = "") {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    /// An error answer with a status code.
    init(_ code: RPCError.Code, _ message: String) {
        self.init(errorCode: Int32(code.rawValue), errorMessage: message)
    }
}

extension ErrorResponse: ProtobufCCodable {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__reflection__v1__error_response__init)
    }

    init(cStruct: UnsafeMutablePointer<Grpc__Reflection__V1__ErrorResponse>) {
        errorCode = cStruct.pointee.error_code
        errorMessage = ProtobufCField.string(cStruct.pointee.error_message)
    }

    func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Reflection__V1__ErrorResponse> {
        let message = arena.allocate(Grpc__Reflection__V1__ErrorResponse.self)
        grpc__reflection__v1__error_response__init(message)
        message.pointee.error_code = errorCode
        message.pointee.error_message = arena.string(errorMessage)
        return message
    }
}
