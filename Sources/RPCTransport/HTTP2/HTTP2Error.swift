internal import CNghttp2

/// A failure reported by libnghttp2, with its error name.
struct HTTP2Error: Error, CustomStringConvertible {
    /// The negative nghttp2 error code.
    var code: Int32
    /// What was being done.
    var operation: String

    var description: String {
        "\(operation) failed: \(String(cString: nghttp2_strerror(code))) (\(code))"
    }
}
