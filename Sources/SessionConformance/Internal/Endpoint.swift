import Foundation
import SessionSDK
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The host and port of a session's connection URL, and whether something accepts TCP
/// connections there.
struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// The host name or address.
    var host: String
    /// The TCP port.
    var port: Int

    /// The endpoint of a connection URL such as `http://127.0.0.1:8080/?token=...`;
    /// the port defaults from the scheme (80 for http, 443 for https).
    ///
    /// - Returns: nil when the URL has no host or an unknown scheme without a port.
    init?(url: String) {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else { return nil }
        let port = components.port ?? (components.scheme == "https" ? 443 : components.scheme == "http" ? 80 : nil)
        guard let port, (1...65535).contains(port) else { return nil }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = port
    }

    /// `host:port`.
    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Whether a TCP connection to the endpoint succeeds within `timeout` (any of its
    /// addresses).
    func acceptsConnections(timeout: Duration) -> Bool {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return false }
        defer { freeaddrinfo(first) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            if Self.attempt(address.pointee, timeout: timeout) { return true }
            entry = address.pointee.ai_next
        }
        return false
    }

    /// A non-blocking connect, waited for with `poll`.
    private static func attempt(_ address: addrinfo, timeout: Duration) -> Bool {
        let descriptor = socket(address.ai_family, address.ai_socktype, address.ai_protocol)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let flags = fcntl(descriptor, F_GETFL, 0)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else { return false }
        if connect(descriptor, address.ai_addr, address.ai_addrlen) == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var descriptors = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&descriptors, 1, max(1, milliseconds)) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return false }
        return error == 0
    }
}
