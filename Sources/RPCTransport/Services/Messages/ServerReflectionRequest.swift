internal import CProtobufC
internal import CGRPCProtos

/// One question to the reflection service (`grpc.reflection.v1.ServerReflectionRequest`).
struct ServerReflectionRequest: Sendable, Hashable {
    /// The `message_request` oneof: what is asked.
    enum MessageRequest: Sendable, Hashable {
        /// The file with this name, such as `grpc/health/v1/health.proto`.
        case fileByFilename(String)
        /// The file defining this fully qualified symbol.
        case fileContainingSymbol(String)
        /// The file defining this extension.
        case fileContainingExtension(ExtensionRequest)
        /// All extension numbers of this fully qualified message type.
        case allExtensionNumbersOfType(String)
        /// The names of all services; the value is ignored.
        case listServices(String)
    }

    /// The host the request was meant for; not used by this server.
    var host: String
    /// What is asked; nil when the oneof is not set.
    var messageRequest: MessageRequest?

    init(host: String = "", messageRequest: MessageRequest? = nil) {
        self.host = host
        self.messageRequest = messageRequest
    }
}

extension ServerReflectionRequest: ProtobufCCodable {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__reflection__v1__server_reflection_request__init)
    }

    init(cStruct: UnsafeMutablePointer<Grpc__Reflection__V1__ServerReflectionRequest>) {
        let c = cStruct.pointee
        host = ProtobufCField.string(c.host)
        switch c.message_request_case {
        case GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_BY_FILENAME:
            messageRequest = .fileByFilename(ProtobufCField.string(c.file_by_filename))
        case GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_CONTAINING_SYMBOL:
            messageRequest = .fileContainingSymbol(ProtobufCField.string(c.file_containing_symbol))
        case GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_CONTAINING_EXTENSION:
            messageRequest = .fileContainingExtension(
                c.file_containing_extension.map(ExtensionRequest.init(cStruct:)) ?? ExtensionRequest()
            )
        case GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_ALL_EXTENSION_NUMBERS_OF_TYPE:
            messageRequest = .allExtensionNumbersOfType(ProtobufCField.string(c.all_extension_numbers_of_type))
        case GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_LIST_SERVICES:
            messageRequest = .listServices(ProtobufCField.string(c.list_services))
        default:
            messageRequest = nil
        }
    }

    func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Reflection__V1__ServerReflectionRequest> {
        let message = arena.allocate(Grpc__Reflection__V1__ServerReflectionRequest.self)
        grpc__reflection__v1__server_reflection_request__init(message)
        message.pointee.host = arena.string(host)
        switch messageRequest {
        case .fileByFilename(let name):
            message.pointee.message_request_case =
                GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_BY_FILENAME
            message.pointee.file_by_filename = arena.string(name)
        case .fileContainingSymbol(let symbol):
            message.pointee.message_request_case =
                GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_CONTAINING_SYMBOL
            message.pointee.file_containing_symbol = arena.string(symbol)
        case .fileContainingExtension(let request):
            message.pointee.message_request_case =
                GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_CONTAINING_EXTENSION
            message.pointee.file_containing_extension = request.cStruct(in: arena)
        case .allExtensionNumbersOfType(let type):
            message.pointee.message_request_case =
                GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_ALL_EXTENSION_NUMBERS_OF_TYPE
            message.pointee.all_extension_numbers_of_type = arena.string(type)
        case .listServices(let value):
            message.pointee.message_request_case =
                GRPC__REFLECTION__V1__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_LIST_SERVICES
            message.pointee.list_services = arena.string(value)
        case nil:
            break
        }
        return message
    }
}
