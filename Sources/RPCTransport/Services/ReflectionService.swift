/// gRPC server reflection (`grpc.reflection.v1.ServerReflection`), which lets tools
/// such as `grpcurl` list the services and read their `.proto` definitions.
///
/// The same service also answers under its pre-release name,
/// `grpc.reflection.v1alpha.ServerReflection`, which older tools (grpcurl before 1.8.8,
/// evans, several GUI clients) still speak: its messages are the same on the wire.
///
/// It describes gRPC's health and reflection protos and the files an application
/// passes (``ProtoFileDescriptor``, from the descriptor table generated with its
/// protoc-c code). A file or symbol that is not known gets an `error_response` with
/// `NOT_FOUND` on the stream, which stays open for further requests.
///
/// ```swift
/// let services: [any RPCService] = [HealthService(), TestService()]
/// let server = RPCServer(
///     configuration: .defaults,
///     services: services + [ReflectionService(services: services, files: testServiceFiles)],
///     logger: logger
/// )
/// ```
public struct ReflectionService: RPCService {
    /// The fully qualified service name.
    public static let serviceName = "grpc.reflection.v1.ServerReflection"
    /// The pre-release name the service answers under as well.
    public static let v1alphaServiceName = "grpc.reflection.v1alpha.ServerReflection"

    /// The services listed, sorted: those given at initialization and this one.
    let serviceNames: [String]
    private let index: FileDescriptorIndex

    /// Creates a reflection service that lists `services` and itself, under both names,
    /// and describes `files` besides gRPC's health and reflection protos.
    public init(services: [any RPCService], files: [ProtoFileDescriptor] = []) {
        serviceNames = Set(RPCRouter(services: services).serviceNames + [Self.serviceName, Self.v1alphaServiceName])
            .sorted()
        index = FileDescriptorIndex(files: Self.ownFiles + files)
    }

    /// The protos of gRPC's health and reflection services, always described.
    static let ownFiles = ProtoFileDescriptor.grpc.filter {
        $0.name.hasPrefix("grpc/health/") || $0.name.hasPrefix("grpc/reflection/")
    }

    /// Registers `ServerReflectionInfo` under both service names.
    public func registerMethods(with router: inout RPCRouter) {
        for service in [Self.serviceName, Self.v1alphaServiceName] {
            router.bidirectional(RPCMethod(service: service, method: "ServerReflectionInfo")) {
                (requests: ServerRequestStream<ServerReflectionRequest>,
                 responses: ServerResponseWriter<ServerReflectionResponse>,
                 _: ServerContext) in
                for try await request in requests {
                    try await responses.write(try self.answer(request))
                }
            }
        }
    }

    /// The answer to one request. Throws `INVALID_ARGUMENT`, ending the call, only when
    /// the request asks nothing.
    func answer(_ request: ServerReflectionRequest) throws -> ServerReflectionResponse {
        guard let question = request.messageRequest else {
            throw RPCError(.invalidArgument, "the reflection request sets none of the message_request fields")
        }
        return ServerReflectionResponse(
            validHost: request.host,
            originalRequest: request,
            messageResponse: answer(question)
        )
    }

    private func answer(_ question: ServerReflectionRequest.MessageRequest) -> ServerReflectionResponse.MessageResponse {
        switch question {
        case .listServices:
            return .listServicesResponse(ListServiceResponse(service: serviceNames.map { ServiceResponse(name: $0) }))
        case .fileByFilename(let name):
            return files(named: name, notFound: "no file named \"\(name)\" is known")
        case .fileContainingSymbol(let symbol):
            guard let name = index.file(definingSymbol: symbol) else {
                return .errorResponse(ErrorResponse(notFound: "no symbol \"\(symbol)\" is known"))
            }
            return files(named: name, notFound: "the file of symbol \"\(symbol)\" is missing")
        case .fileContainingExtension(let request):
            return .errorResponse(ErrorResponse(
                notFound:
                "no extension \(request.extensionNumber) of \"\(request.containingType)\" is known"
            ))
        case .allExtensionNumbersOfType(let type):
            guard index.isMessageType(type) else {
                return .errorResponse(ErrorResponse(notFound: "no message type \"\(type)\" is known"))
            }
            return .allExtensionNumbersResponse(ExtensionNumberResponse(baseTypeName: type, extensionNumber: []))
        }
    }

    private func files(named name: String, notFound: String) -> ServerReflectionResponse.MessageResponse {
        guard let descriptors = index.descriptorsWithDependencies(ofFile: name) else {
            return .errorResponse(ErrorResponse(notFound: notFound))
        }
        return .fileDescriptorResponse(FileDescriptorResponse(fileDescriptorProto: descriptors))
    }
}

extension ErrorResponse {
    /// A `NOT_FOUND` answer with a message saying what was not found.
    fileprivate init(notFound message: String) {
        self.init(errorCode: Int32(RPCError.Code.notFound.rawValue), errorMessage: message)
    }
}
