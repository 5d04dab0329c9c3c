package import CProtobufC
internal import Glibc

/// Owns the C memory of protobuf-c structs built from Swift values for one encoding.
///
/// Every pointer handed out lives until the arena is deallocated, so a nested struct
/// graph can be assembled, packed by `protobuf_c_message_pack`, and released in one go.
/// Small allocations are carved from one block, so a typical message costs one
/// allocation however many structs, strings and arrays it is built from.
/// Not thread-safe: an arena belongs to one encoding on one task.
package final class ProtobufCArena {
    private static let blockSize = 512
    private static let blockAlignment = 16
    /// Where small allocations come from.
    private let block: UnsafeMutableRawPointer
    /// The bytes of `block` handed out.
    private var used = 0
    /// What did not fit in `block`, each allocated on its own.
    private var allocations: [UnsafeMutableRawPointer] = []

    package init() {
        block = .allocate(byteCount: Self.blockSize, alignment: Self.blockAlignment)
    }

    deinit {
        block.deallocate()
        for pointer in allocations { free(pointer) }
    }

    /// Zeroed memory for `count` values of `T`.
    package func allocate<T>(_ type: T.Type, count: Int = 1) -> UnsafeMutablePointer<T> {
        let bytes = max(1, MemoryLayout<T>.stride * count)
        let alignment = MemoryLayout<T>.alignment
        let start = (used + alignment - 1) & ~(alignment - 1)
        let raw: UnsafeMutableRawPointer
        if alignment <= Self.blockAlignment, start + bytes <= Self.blockSize {
            raw = block + start
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
            used = start + bytes
        } else {
            guard let separate = calloc(1, bytes) else { fatalError("out of memory allocating \(bytes) bytes") }
            allocations.append(separate)
            raw = separate
        }
        return raw.bindMemory(to: T.self, capacity: count)
    }

    /// A NUL-terminated copy of a string.
    package func string(_ value: String) -> UnsafeMutablePointer<CChar> {
        var utf8 = Array(value.utf8CString)
        let pointer = allocate(CChar.self, count: utf8.count)
        utf8.withUnsafeMutableBufferPointer { pointer.update(from: $0.baseAddress!, count: $0.count) }
        return pointer
    }

    /// A `bytes` field holding a copy of the bytes.
    package func binary(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        guard !bytes.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
        let pointer = allocate(UInt8.self, count: bytes.count)
        bytes.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: $0.count) }
        return ProtobufCBinaryData(len: bytes.count, data: pointer)
    }

    /// A C array holding `values`; nil when empty.
    package func array<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else { return nil }
        let pointer = allocate(T.self, count: values.count)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: $0.count) }
        return pointer
    }

    /// A C array of NUL-terminated strings; nil when empty.
    package func strings(_ values: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        array(values.map { Optional(string($0)) })
    }

    /// A C array of pointers to structs built by `build`; nil when empty.
    package func messages<Element, T>(
        _ values: [Element],
        _ build: (Element) -> UnsafeMutablePointer<T>
    ) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?>? {
        array(values.map { Optional(build($0)) })
    }
}

/// Reading fields of unpacked protobuf-c structs.
package enum ProtobufCField {
    /// A `string` field: protobuf-c gives "" (never NULL) after unpacking, but be lenient.
    package static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    /// A `bytes` field.
    package static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard let base = data.data, data.len > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: base, count: data.len))
    }

    /// A `repeated` scalar field.
    package static func array<T>(_ pointer: UnsafeMutablePointer<T>?, count: Int) -> [T] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    /// A `repeated string` field.
    package static func strings(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, count: Int) -> [String] {
        array(pointer, count: count).map(string)
    }

    /// A `repeated` message field, each element read by `read`.
    package static func messages<T, Element>(
        _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<T>?>?,
        count: Int,
        _ read: (UnsafeMutablePointer<T>) throws -> Element
    ) rethrows -> [Element] {
        try array(pointer, count: count).compactMap { try $0.map(read) }
    }
}
