/// A fully qualified RPC method: the service and the method name.
public struct RPCMethod: Hashable, Sendable, CustomStringConvertible {
    /// The fully qualified service, such as `sessiongw.v1.SessionService`.
    public var service: String
    /// The method name, such as `CreateSession`.
    public var method: String

    /// Creates a method descriptor.
    public init(service: String, method: String) {
        self.service = service
        self.method = method
    }

    /// Parses an HTTP/2 `:path` of the form `/service/method`.
    public init?(path: some StringProtocol) {
        guard path.first == "/" else { return nil }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(service: String(parts[0]), method: String(parts[1]))
    }

    /// The HTTP/2 `:path`: `/service/method`.
    public var path: String { "/\(service)/\(method)" }

    /// `service/method`.
    public var description: String { "\(service)/\(method)" }
}
