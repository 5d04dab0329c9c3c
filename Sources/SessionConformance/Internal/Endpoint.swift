import Foundation
import SessionSDK

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
        TCPProbe.accepts(host: host, port: port, timeout: timeout)
    }
}
