internal import CProtobufC
internal import CGRPCProtos

/// Serialized `google.protobuf.FileDescriptorProto`s
/// (`grpc.reflection.v1.FileDescriptorResponse`).
struct FileDescriptorResponse: Sendable, Hashable {
    /// One serialized file descriptor per entry.
    var fileDescriptorProtos: [[UInt8]]

    init(fileDescriptorProtos: [[UInt8]] = []) {
        self.fileDescriptorProtos = fileDescriptorProtos
    }
}

extension FileDescriptorResponse: ProtobufCCodable {
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        descriptor(initializedBy: grpc__reflection__v1__file_descriptor_response__init)
    }

    init(cStruct: UnsafeMutablePointer<Grpc__Reflection__V1__FileDescriptorResponse>) {
        fileDescriptorProtos = ProtobufCField.array(
            cStruct.pointee.file_descriptor_proto,
            count: cStruct.pointee.n_file_descriptor_proto
        ).map(ProtobufCField.bytes)
    }

    func cStruct(in arena: ProtobufCArena) -> UnsafeMutablePointer<Grpc__Reflection__V1__FileDescriptorResponse> {
        let message = arena.allocate(Grpc__Reflection__V1__FileDescriptorResponse.self)
        grpc__reflection__v1__file_descriptor_response__init(message)
        message.pointee.n_file_descriptor_proto = fileDescriptorProtos.count
        message.pointee.file_descriptor_proto = arena.array(fileDescriptorProtos.map(arena.binary))
        return message
    }
}
