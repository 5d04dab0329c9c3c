internal import CProtobufC
internal import CProtocPlugin
internal import Glibc

/// `protoc-gen-sessiongw-swift`: the protoc plugin that writes this package's Swift
/// bindings of its `.proto` files (run by `scripts/generate-protos.sh`).
///
/// protoc writes a `CodeGeneratorRequest` to stdin; the plugin decodes it with
/// libprotobuf-c (no second protobuf runtime), writes `<name>.pb.swift` and
/// `<name>.grpc.swift` for each file to generate (``FileEmitter``), and answers with a
/// `CodeGeneratorResponse` on stdout. A failure is reported in the response's `error`,
/// which protoc prints. Options: ``GeneratorOptions``.
@main
struct ProtocGenSessiongwSwift {
    static func main() {
        let input = readStandardInput()
        guard
            let unpacked = input.withUnsafeBufferPointer({
                protobuf_c_message_unpack(
                    requestDescriptor(), nil, $0.count, $0.baseAddress)
            })
        else {
            let message = "protoc-gen-sessiongw-swift: stdin is not a CodeGeneratorRequest; run it through protoc\n"
            _ = message.utf8CString.withUnsafeBytes { write(2, $0.baseAddress, $0.count - 1) }
            exit(1)
        }
        let request = UnsafeMutableRawPointer(unpacked).assumingMemoryBound(
            to: Google__Protobuf__Compiler__CodeGeneratorRequest.self)
        writeResponse(Result { try generate(request.pointee) })
        protobuf_c_message_free_unpacked(unpacked, nil)
    }

    /// The files to write for a request.
    static func generate(
        _ request: Google__Protobuf__Compiler__CodeGeneratorRequest
    ) throws -> [(name: String, content: String)] {
        let options = try GeneratorOptions(parameter: DescriptorReader.string(request.parameter))
        let files = DescriptorReader.items(request.proto_file, request.n_proto_file).map(DescriptorReader.file)
        let generating = DescriptorReader.strings(request.file_to_generate, request.n_file_to_generate)
        let registry = TypeRegistry(files: files, generating: Set(generating), typePrefix: options.typePrefix)
        var output: [(name: String, content: String)] = []
        for name in generating {
            guard let file = files.first(where: { $0.name == name }) else {
                throw GeneratorError("protoc asked for \(name) but sent no descriptor of it")
            }
            let emitter = FileEmitter(file: file, registry: registry, options: options)
            do {
                output += try emitter.emit()
            } catch {
                throw GeneratorError("\(name): \(error)")
            }
        }
        return output
    }

    private static func readStandardInput() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    /// Packs and writes the response. Its C memory is never freed: the process ends here.
    private static func writeResponse(_ outcome: Result<[(name: String, content: String)], any Error>) {
        let response = allocate(Google__Protobuf__Compiler__CodeGeneratorResponse.self)
        google__protobuf__compiler__code_generator_response__init(response)
        switch outcome {
        case .success(let files):
            let array = allocate(UnsafeMutablePointer<Google__Protobuf__Compiler__CodeGeneratorResponse__File>?.self, count: files.count)
            for (index, file) in files.enumerated() {
                let c = allocate(Google__Protobuf__Compiler__CodeGeneratorResponse__File.self)
                google__protobuf__compiler__code_generator_response__file__init(c)
                c.pointee.name = strdup(file.name)
                c.pointee.content = strdup(file.content)
                array[index] = c
            }
            response.pointee.n_file = files.count
            response.pointee.file = array
        case .failure(let error):
            response.pointee.error = strdup("\(error)")
        }
        let message = UnsafeMutableRawPointer(response).assumingMemoryBound(to: ProtobufCMessage.self)
        let size = protobuf_c_message_get_packed_size(message)
        let bytes = allocate(UInt8.self, count: size)
        _ = protobuf_c_message_pack(message, bytes)
        var written = 0
        while written < size {
            let count = write(1, bytes + written, size - written)
            if count <= 0 { exit(1) }
            written += count
        }
    }

    private static func requestDescriptor() -> UnsafePointer<ProtobufCMessageDescriptor> {
        var request = Google__Protobuf__Compiler__CodeGeneratorRequest()
        google__protobuf__compiler__code_generator_request__init(&request)
        return request.base.descriptor
    }

    private static func allocate<T>(_ type: T.Type, count: Int = 1) -> UnsafeMutablePointer<T> {
        guard let raw = calloc(max(1, count), MemoryLayout<T>.stride) else { fatalError("out of memory") }
        return raw.bindMemory(to: T.self, capacity: max(1, count))
    }
}
