internal import CProtobufC
internal import CGRPCProtos

/// One answer of the reflection service (`grpc.reflection.v1.ServerReflectionResponse`).
struct ServerReflectionResponse: Sendable, Hashable {
    /// The `message_response` oneof: the answer.
    enum MessageResponse: Sendable, Hashable {
        /// Serialized file descriptors: the file asked for first, then its dependencies.
        case fileDescriptorResponse(FileDescriptorResponse)
        /// The extension numbers of a message type.
        case allExtensionNumbersResponse(ExtensionNumberResponse)
        /// The services offered.
        case listServicesResponse(ListServiceResponse)
        /// Why the request could not be answered.
        case errorResponse(ErrorResponse)
    }

    /// The host of the request.
    var validHost: String
    /// The request answered.
    var originalRequest: ServerReflectionRequest?
    /// The answer; nil when the oneof is not set.
    var messageResponse: MessageResponse?

    init(validHost: String = "", originalRequest: ServerReflectionRequest? = nil, messageResponse: MessageResponse? = nil) {
        self.validHost = validHost
        self.originalRequest = originalRequest
        self.messageResponse = messageResponse
    }
}

extension ServerReflectionResponse: ProtobufCCodable {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__reflection__v1__server_reflection_response__init)
    }

    init(cStruct: UnsafeMutablePointer<Grpc__Reflection__V1__ServerReflectionResponse>) {
        let c = cStruct.pointee
        validHost = ProtobufCField.string(c.valid_host)
        originalRequest = c.original_request.map(ServerReflectionRequest.init(cStruct:))
        switch c.message_response_case {
        case GRPC__REFLECTION__V1__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_FILE_DESCRIPTOR_RESPONSE:
            messageResponse = .fileDescriptorResponse(
                c.file_descriptor_response.map(FileDescriptorResponse.init(cStruct:)) ?? FileDescriptorResponse()
            )
        case GRPC__REFLECTION__V1__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ALL_EXTENSION_NUMBERS_RESPONSE:
            messageResponse = .allExtensionNumbersResponse(
                c.all_extension_numbers_response.map(ExtensionNumberResponse.init(cStruct:)) ?? ExtensionNumberResponse()
            )
        case GRPC__REFLECTION__V1__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_LIST_SERVICES_RESPONSE:
            messageResponse = .listServicesResponse(
                c.list_services_response.map(ListServiceResponse.init(cStruct:)) ?? ListServiceResponse()
            )
        case GRPC__REFLECTION__V1__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ERROR_RESPONSE:
            messageResponse = .errorResponse(c.error_response.map(ErrorResponse.init(cStruct:)) ?? ErrorResponse())
        default:
            messageResponse = nil
        }
    }

    func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Reflection__V1__ServerReflectionResponse> {
        let message = arena.allocate(Grpc__Reflection__V1__ServerReflectionResponse.self)
        grpc__reflection__v1__server_reflection_response__init(message)
        message.pointee.valid_host = arena.string(validHost)
        message.pointee.original_request = originalRequest?.cStruct(in: arena)
        switch messageResponse {
        case .fileDescriptorResponse(let files):
            message.pointee.message_response_case =
                GRPC__REFLECTION__V1__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_FILE_DESCRIPTOR_RESPONSE
            message.pointee.file_descriptor_response = files.cStruct(in: arena)
        case .allExtensionNumbersResponse(let numbers):
            message.pointee.message_response_case =
                GRPC__REFLECTION__V1__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ALL_EXTENSION_NUMBERS_RESPONSE
            message.pointee.all_extension_numbers_response = numbers.cStruct(in: arena)
        case .listServicesResponse(let services):
            message.pointee.message_response_case =
                GRPC__REFLECTION__V1__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_LIST_SERVICES_RESPONSE
            message.pointee.list_services_response = services.cStruct(in: arena)
        case .errorResponse(let error):
            message.pointee.message_response_case =
                GRPC__REFLECTION__V1__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ERROR_RESPONSE
            message.pointee.error_response = error.cStruct(in: arena)
        case nil:
            break
        }
        return message
    }
}
