import Foundation
import Glibc

/// A small HTTP/1.1 client for servers on this machine's loopback (the session's own
/// IDE): one request per connection (`Connection: close`), the body read to the end,
/// chunked bodies decoded. Blocking; callers run it off the cooperative pool.
enum LoopbackHTTP {
    /// A response.
    struct Response: Sendable {
        var status: Int
        var body: [UInt8]
    }

    /// A failure to connect, send or read.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `method path` to `127.0.0.1:port` with `headers`.
    ///
    /// - Throws: ``Failure`` when the server cannot be reached, does not answer within
    ///   `timeout`, or answers something that is not HTTP.
    static func request(
        _ method: String, port: Int, path: String, headers: [String: String] = [:], timeout: Duration = .seconds(3)
    ) throws(Failure) -> Response {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var wait = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port)).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))") }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Length: 0\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        let request = Array((head + "\r\n").utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
            sent += count
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Failure(description: "recv: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            received += buffer[0..<count]
            guard received.count <= 16 << 20 else { throw Failure(description: "the response is over 16 MiB") }
        }
        return try parse(received)
    }

    /// The status and body of a whole response.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.firstRange(of: separator) else { throw Failure(description: "no HTTP header in the response") }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).split(separator: "\r\n")
        let statusWords = head.first?.split(separator: " ") ?? []
        guard statusWords.count >= 2, statusWords[0].hasPrefix("HTTP/1."), let status = Int(statusWords[1]) else {
            throw Failure(description: "not an HTTP status line: \(head.first?.prefix(80) ?? "")")
        }
        let chunked = head.dropFirst().contains { line in
            line.lowercased().hasPrefix("transfer-encoding:") && line.lowercased().contains("chunked")
        }
        let body = Array(bytes[end.upperBound...])
        return Response(status: status, body: chunked ? try dechunk(body) : body)
    }

    /// The data of a chunked body.
    static func dechunk(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        var data: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = bytes[index...].firstRange(of: [13, 10]) else { throw Failure(description: "a chunk size line is cut") }
            let sizeText = String(decoding: bytes[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                throw Failure(description: "a chunk size is not hex")
            }
            if size == 0 { return data }
            let start = lineEnd.upperBound
            guard start + size <= bytes.count else { throw Failure(description: "a chunk is cut") }
            data += bytes[start..<start + size]
            index = start + size + 2
            guard index <= bytes.count else { throw Failure(description: "a chunk is cut") }
        }
    }
}
