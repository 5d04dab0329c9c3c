internal import NIOCore

/// Framed messages waiting for nghttp2 to pull them into DATA frames.
struct OutboundQueue {
    // Room for one message, which is all a unary response sends; grows as needed.
    private var chunks = CircularBuffer<[UInt8]>(initialCapacity: 2)
    private var offset = 0

    /// Whether nothing is waiting.
    var isEmpty: Bool { chunks.isEmpty }

    /// Queues bytes.
    mutating func append(_ bytes: [UInt8]) {
        if !bytes.isEmpty { chunks.append(bytes) }
    }

    /// Drops every chunk nothing of which has been read yet.
    mutating func removeUnstarted() {
        guard offset > 0, let first = chunks.first else {
            chunks.removeAll()
            return
        }
        chunks = [first]
    }

    /// Copies as many waiting bytes as fit into `target`; returns how many.
    mutating func read(into target: UnsafeMutableRawBufferPointer) -> Int {
        var written = 0
        while written < target.count, let chunk = chunks.first {
            let take = min(chunk.count - offset, target.count - written)
            chunk.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(rebasing: target[written..<written + take])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + take]))
            }
            written += take
            offset += take
            if offset == chunk.count {
                chunks.removeFirst()
                offset = 0
            }
        }
        return written
    }
}
