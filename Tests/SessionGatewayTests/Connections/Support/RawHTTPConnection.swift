import Foundation
import Glibc

/// One TCP connection to `127.0.0.1:PORT` speaking HTTP/1.1 by hand, so that tests see
/// exactly what the connection proxy sends: status, headers (redirects and cookies
/// are not followed) and body, and can keep the connection for a tunnel.
final class RawHTTPConnection {
    /// A response as received.
    struct Response {
        /// The status code.
        var status: Int
        /// The headers, names lower-cased.
        var headers: [(String, String)]
        /// The body.
        var body: String
        /// Everything received, for "the token never appears" checks.
        var raw: String

        /// The first value of a header.
        func header(_ name: String) -> String? { headers.first { $0.0 == name.lowercased() }?.1 }
    }

    private let descriptor: Int32

    /// Connects, with a receive timeout.
    init(port: Int, timeout: Int = 10) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(descriptor) }

    /// Sends bytes.
    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Sends `bytes` over and over, up to `limit` bytes in all, as far as the
    /// connection takes them without blocking, until it has taken nothing for
    /// `patience`; returns how many bytes it took.
    func sendWithoutBlocking(_ bytes: [UInt8], upTo limit: Int, patience: Duration) -> Int {
        var sent = 0
        var offset = 0
        var lastProgress = ContinuousClock.now
        while sent < limit, ContinuousClock.now - lastProgress < patience {
            let result = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if result > 0 {
                sent += result
                offset = (offset + result) % bytes.count
                lastProgress = ContinuousClock.now
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                usleep(2000)
            } else {
                break  // the peer closed the connection
            }
        }
        return sent
    }

    /// Up to `count` bytes; empty at the end of the stream or on timeout.
    func receive(_ count: Int = 65536) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let received = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        return received > 0 ? Array(buffer[..<received]) : []
    }

    /// Whether the peer closed the connection within the receive timeout.
    func closedByPeer() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let received = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if received == 0 { return true }
            if received < 0 { return false }
        }
    }

    /// The response head (up to the blank line) and whatever of the body came with it.
    func readHead() -> (head: String, rest: [UInt8])? {
        var data: [UInt8] = []
        let separator = Array("\r\n\r\n".utf8)
        while true {
            if let end = data.indices.first(where: { data[$0...].starts(with: separator) }) {
                return (String(decoding: data[..<end], as: UTF8.self), Array(data[(end + 4)...]))
            }
            let chunk = receive()
            if chunk.isEmpty { return nil }
            data += chunk
        }
    }

    /// One request with `Connection: close`, and its whole response.
    static func request(
        port: Int, method: String = "GET", path: String, host: String? = nil, headers: [(String, String)] = [], body: String = ""
    ) throws -> Response {
        let connection = try RawHTTPConnection(port: port)
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + body
        connection.send(text)
        var data: [UInt8] = []
        while true {
            let chunk = connection.receive()
            if chunk.isEmpty { break }
            data += chunk
        }
        let raw = String(decoding: data, as: UTF8.self)
        guard let headEnd = raw.range(of: "\r\n\r\n") else {
            return Response(status: 0, headers: [], body: "", raw: raw)
        }
        let lines = raw[..<headEnd.lowerBound].components(separatedBy: "\r\n")
        let status = lines.first?.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = String(raw[headEnd.upperBound...])
        if headers.contains(where: { $0.0 == "transfer-encoding" && $0.1.lowercased() == "chunked" }) {
            body = Self.dechunked(body)
        }
        return Response(status: status, headers: headers, body: body, raw: raw)
    }

    private static func dechunked(_ text: String) -> String {
        var remaining = Substring(text)
        var body = ""
        while let lineEnd = remaining.range(of: "\r\n"), let size = Int(remaining[..<lineEnd.lowerBound], radix: 16), size > 0 {
            let start = lineEnd.upperBound
            let utf8 = remaining.utf8
            let end = utf8.index(start, offsetBy: size, limitedBy: utf8.endIndex) ?? utf8.endIndex
            body += String(remaining[start..<end])
            remaining = remaining[end...].dropFirst(2)
        }
        return body
    }
}
