extension BoolValue {
    /// A wrapped Boolean.
    public init(_ value: Bool) {
        self.init(value: value)
    }
}

extension Payload {
    /// A compressable payload of `size` zero bytes, as the interop cases send.
    public init(zeros size: Int) {
        self.init(type: .compressable, body: [UInt8](repeating: 0, count: size))
    }
}
