import RPCInterop
@testable import RPCTransport

/// Feeds arbitrary bytes to the gRPC message deframer, and every message it yields,
/// as well as the whole input, to libprotobuf-c decoding of several message types.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMessageDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    decodeAll(bytes)
    var deframer = GRPCMessageDeframer(maxMessageSize: 64 * 1024)
    try? deframer.append(bytes) { message in
        message.bytes.withUnsafeBytes { decodeAll($0) }
    }
    return 0
}

private func decodeAll(_ bytes: UnsafeRawBufferPointer) {
    _ = try? SimpleRequest(protobufBytes: bytes)
    _ = try? StreamingOutputCallRequest(protobufBytes: bytes)
    _ = try? StreamingInputCallRequest(protobufBytes: bytes)
    _ = try? ServerReflectionRequest(protobufBytes: bytes)
    _ = try? HealthCheckRequest(protobufBytes: bytes)
    // A decoded message must encode again and decode to the same value.
    if let request = try? SimpleRequest(protobufBytes: bytes),
       let encoded = try? request.protobufBytes(),
       let again = try? SimpleRequest(protobufBytes: encoded) {
        precondition(again == request, "SimpleRequest did not survive a re-encoding")
    }
}
