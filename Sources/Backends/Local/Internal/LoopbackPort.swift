import Glibc
import SessionSDK

/// TCP ports on 127.0.0.1: finding a free one for a session, and checking whether a
/// session's command accepts connections on its port.
enum LoopbackPort {
    /// A port no socket is bound to right now, chosen by the kernel.
    ///
    /// - Throws: `RESOURCE_EXHAUSTED` when no port is free, `INTERNAL` otherwise.
    static func free() throws(SessionError) -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw failure("socket") }
        defer { close(descriptor) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            if errno == EADDRINUSE { throw SessionError(.resourceExhausted, "no free TCP port on 127.0.0.1 for a session") }
            throw failure("bind")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw failure("getsockname") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts a TCP connection on 127.0.0.1:`port` within `timeout`
    /// (the connect does not block longer, even when the listener's backlog is full).
    static func accepts(port: Int, timeout: Duration = .milliseconds(250)) -> Bool {
        TCPProbe.accepts(host: "127.0.0.1", port: port, timeout: timeout)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        return address
    }

    private static func failure(_ call: String) -> SessionError {
        SessionError(.internalError, "cannot find a free port: \(call) failed: \(String(cString: strerror(errno)))")
    }
}
