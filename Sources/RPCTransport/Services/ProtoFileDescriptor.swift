package import CGRPCProtos

/// One `.proto` file as the reflection service describes it: its serialized
/// `google.protobuf.FileDescriptorProto`, the files it imports and the fully qualified
/// symbols it defines.
///
/// `scripts/generate-protos.sh` writes a table of these next to each target of
/// protoc-c code; an application passes its own files to ``ReflectionService``, which
/// knows only gRPC's (health and reflection) by itself.
///
/// ```swift
/// let reflection = ReflectionService(services: services, files: SessionAPIProtoFiles.all)
/// ```
public struct ProtoFileDescriptor: Sendable, Hashable {
    /// The path, such as `grpc/testing/test.proto`.
    public var name: String
    /// The serialized `google.protobuf.FileDescriptorProto`.
    public var descriptor: [UInt8]
    /// The files it imports.
    public var dependencies: [String]
    /// The fully qualified messages, enums, services and methods it defines.
    public var symbols: [String]

    /// Creates a file description.
    public init(name: String, descriptor: [UInt8], dependencies: [String], symbols: [String]) {
        self.name = name
        self.descriptor = descriptor
        self.dependencies = dependencies
        self.symbols = symbols
    }

    /// The files of a descriptor table that `scripts/generate-protos.sh` generated.
    package static func files(in table: UnsafePointer<proto_file_descriptor>, count: Int) -> [ProtoFileDescriptor] {
        UnsafeBufferPointer(start: table, count: count).map { entry in
            ProtoFileDescriptor(
                name: String(cString: entry.name),
                descriptor: Array(UnsafeBufferPointer(start: entry.data, count: entry.length)),
                dependencies: (0..<entry.dependency_count).map { String(cString: entry.dependencies[$0]!) },
                symbols: (0..<entry.symbol_count).map { String(cString: entry.symbols[$0]!) })
        }
    }

    /// The gRPC project's files in this package: health, reflection (v1 and v1alpha)
    /// and the interop test service.
    public static let grpc = files(in: cgrpcprotos_file_descriptor_table(), count: cgrpcprotos_file_descriptor_count)
}
