internal import CProtos
public import RPCTransport

/// The session API's `.proto` files (`sessiongw.v1` and `sessiongw.provider.v1`), for
/// the reflection service, from the descriptor table generated with their protoc-c code.
///
/// ```swift
/// let reflection = ReflectionService(services: services, files: SessionAPIProtoFiles.all)
/// ```
public enum SessionAPIProtoFiles {
    /// Every file of the public and provider APIs, and the well-known types they import.
    public static let all = ProtoFileDescriptor.files(in: cprotos_file_descriptor_table(), count: cprotos_file_descriptor_count)
        .filter { file in
            ["sessiongw/v1/", "sessiongw/provider/", "google/protobuf/"].contains { file.name.hasPrefix($0) }
        }
}
