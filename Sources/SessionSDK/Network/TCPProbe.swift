#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether something accepts TCP connections at a host and port: how providers tell a
/// STARTING session from a RUNNING one, and how the conformance kit checks endpoints.
///
/// ```swift
/// let serving = TCPProbe.accepts(host: "127.0.0.1", port: record.port, timeout: .milliseconds(250))
/// ```
public enum TCPProbe {
    /// A non-blocking connect to each of the host's addresses in turn, each waited for
    /// at most `timeout` (so a listener with a full backlog cannot block the caller).
    public static func accepts(host: String, port: Int, timeout: Duration) -> Bool {
        guard (1...65_535).contains(port) else { return false }
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
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            if attempt(address.pointee, timeoutMilliseconds: max(1, milliseconds)) { return true }
            entry = address.pointee.ai_next
        }
        return false
    }

    private static func attempt(_ address: addrinfo, timeoutMilliseconds: Int32) -> Bool {
        let descriptor = socket(address.ai_family, address.ai_socktype, address.ai_protocol)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let flags = fcntl(descriptor, F_GETFL, 0)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else { return false }
        if connect(descriptor, address.ai_addr, address.ai_addrlen) == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var descriptors = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        guard poll(&descriptors, 1, timeoutMilliseconds) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return false }
        return error == 0
    }
}
