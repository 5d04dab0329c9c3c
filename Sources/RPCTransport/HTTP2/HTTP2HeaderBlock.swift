internal import CNghttp2

/// Header fields laid out for nghttp2: the names and values in one buffer, and the
/// `nghttp2_nv` array pointing into it, made once when the block is created.
///
/// A block is immutable, so one built once can be sent any number of times: the gRPC
/// response headers (``grpcResponse``) and the trailers of a successful call without
/// metadata (``grpcOK``) are built once per process instead of once per call. nghttp2
/// copies the fields when they are submitted, so a block may be released at any time
/// after that.
final class HTTP2HeaderBlock: @unchecked Sendable {
    // @unchecked: `storage` is written only by the initializer and freed only by deinit.

    /// `:status 200` and `content-type application/grpc`: the headers of every gRPC
    /// response that sends no initial metadata.
    static let grpcResponse = HTTP2HeaderBlock([(":status", "200"), ("content-type", "application/grpc")])

    /// `grpc-status 0`: the trailers of a successful call that sends no trailing metadata.
    static let grpcOK = HTTP2HeaderBlock([("grpc-status", "0")])

    /// The fields, in order.
    let fields: [(String, String)]
    /// The `nghttp2_nv` array, followed by the bytes of the names and values it points to.
    private let storage: UnsafeMutableRawPointer

    /// Lays out `fields` for nghttp2.
    init(_ fields: [(String, String)]) {
        self.fields = fields
        let arrayBytes = MemoryLayout<nghttp2_nv>.stride * fields.count
        let textBytes = fields.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count }
        storage = .allocate(byteCount: max(1, arrayBytes + textBytes), alignment: MemoryLayout<nghttp2_nv>.alignment)
        let array = storage.bindMemory(to: nghttp2_nv.self, capacity: fields.count)
        var text = (storage + arrayBytes).bindMemory(to: UInt8.self, capacity: textBytes)
        for (index, (name, value)) in fields.enumerated() {
            let nameStart = text
            text = Self.copy(name, to: text)
            let valueStart = text
            text = Self.copy(value, to: text)
            (array + index).initialize(to: cnghttp2_make_nv(
                nameStart, valueStart - nameStart, valueStart, text - valueStart, UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
        }
    }

    deinit {
        storage.deallocate()
    }

    /// Calls `body` with the `nghttp2_nv` array and its length.
    func withNameValuePairs<Result>(_ body: (UnsafePointer<nghttp2_nv>, Int) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(self) {
            try body(UnsafePointer(storage.assumingMemoryBound(to: nghttp2_nv.self)), fields.count)
        }
    }

    /// Copies the UTF-8 of `string` to `target`; returns the address after it.
    private static func copy(_ string: String, to target: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var target = target
        for byte in string.utf8 {
            target.initialize(to: byte)
            target += 1
        }
        return target
    }
}
