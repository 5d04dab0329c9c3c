internal import CProtos
public import RPCTransport

/// The `.proto` files of the interop test service and the benchmark echo service, for
/// the reflection service of the interop server.
public enum InteropProtoFiles {
    /// `grpc/testing/*.proto` and `sessiongw/benchmark/v1/echo.proto`.
    public static let all = ProtoFileDescriptor.grpc.filter { $0.name.hasPrefix("grpc/testing/") }
        + ProtoFileDescriptor.files(in: cprotos_file_descriptor_table(), count: cprotos_file_descriptor_count)
        .filter { $0.name.hasPrefix("sessiongw/benchmark/") }
}
