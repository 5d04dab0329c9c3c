import Glibc
import SessionSDK
import Testing

@Suite("TCP probe")
struct TCPProbeTests {
    /// A socket listening on 127.0.0.1 and its port; closed by the caller.
    private func listener() throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 4) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        try #require(bound)
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test("a listening port accepts; once closed it does not; nonsense ports and hosts never do")
    func probes() throws {
        let (descriptor, port) = try listener()
        #expect(TCPProbe.accepts(host: "127.0.0.1", port: port, timeout: .milliseconds(500)))
        #expect(TCPProbe.accepts(host: "localhost", port: port, timeout: .milliseconds(500)))
        close(descriptor)
        #expect(!TCPProbe.accepts(host: "127.0.0.1", port: port, timeout: .milliseconds(500)))
        #expect(!TCPProbe.accepts(host: "127.0.0.1", port: 0, timeout: .milliseconds(100)))
        #expect(!TCPProbe.accepts(host: "127.0.0.1", port: 70_000, timeout: .milliseconds(100)))
        #expect(!TCPProbe.accepts(host: "no-such-host.invalid", port: 80, timeout: .milliseconds(100)))
    }
}
