internal import Glibc

extension UnsafeRawBufferPointer {
    /// Whether the bytes are exactly the UTF-8 of `text`: a header name or value
    /// compared without making a String of it.
    @inline(__always)
    func equals(_ text: StaticString) -> Bool {
        count == text.utf8CodeUnitCount && (count == 0 || memcmp(baseAddress!, text.utf8Start, count) == 0)
    }
}
