internal import Foundation

/// Where the proxy sends a session's requests: the host, port and base path of the
/// backend's connection URL, and the query parameters (the backend's own access token)
/// added to every forwarded request. Only `http://` backends are reached.
struct BackendTarget: Hashable, Sendable {
    /// The backend's host.
    var host: String
    /// The backend's port.
    var port: Int
    /// The URL's path without its trailing `/`; empty for the root.
    var basePath: String
    /// The URL's query items, added to every forwarded request.
    var query: [URLQueryItem]
    /// The backend's access token, masked wherever it would reach the user.
    var accessToken: String

    /// The target of a backend connection URL.
    ///
    /// - Returns: nil when the URL is not `http://HOST[:PORT][/PATH][?QUERY]`.
    init?(url: String, accessToken: String) {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "http",
              let host = components.host, !host.isEmpty
        else { return nil }
        self.host = host
        self.port = components.port ?? 80
        self.basePath = components.percentEncodedPath.hasSuffix("/")
            ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath
        self.query = components.queryItems ?? []
        self.accessToken = accessToken
    }

    /// `host:port` for the forwarded `Host` header.
    var authority: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The request target on the backend for `rest` (the path after the session's
    /// prefix, starting with `/`) and the client's query (without the link's
    /// `access_token`), with the backend's own query items added.
    func requestTarget(rest: String, query clientQuery: String?) -> String {
        var items = (clientQuery ?? "").split(separator: "&", omittingEmptySubsequences: true).map(String.init)
        let names = Set(query.map(\.name))
        items.removeAll { names.contains(String($0.prefix { $0 != "=" })) }
        var encoded = URLComponents()
        encoded.queryItems = query
        if let backendQuery = encoded.percentEncodedQuery, !backendQuery.isEmpty { items.append(backendQuery) }
        return basePath + rest + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
    }

    /// A `Location` the backend answered, made to point through the proxy: an absolute
    /// path gets the session's prefix (and loses the backend's base path), a URL of the
    /// backend itself becomes one on the proxy, and the backend's query items are removed.
    ///
    /// - Returns: nil for a URL of another host or one that cannot be parsed: the proxy
    ///   does not send users off the session.
    func rewriteLocation(_ location: String, prefix: String) -> String? {
        guard var components = URLComponents(string: location) else { return nil }
        if components.host != nil || components.scheme != nil {
            guard components.host == self.host, (components.port ?? 80) == port else { return nil }
            components.scheme = nil
            components.host = nil
            components.port = nil
        }
        var path = components.percentEncodedPath
        if path.hasPrefix("/") {
            if !basePath.isEmpty, path.hasPrefix(basePath) { path = String(path.dropFirst(basePath.count)) }
            components.percentEncodedPath = String(prefix.dropLast()) + (path.hasPrefix("/") ? path : "/" + path)
        }
        let names = Set(query.map(\.name))
        if let items = components.queryItems {
            let kept = items.filter { !names.contains($0.name) && $0.value != accessToken }
            components.queryItems = kept.isEmpty ? nil : kept
        }
        return masked(components.string ?? location)
    }

    /// A `Set-Cookie` the backend answered, confined to the session: its `Domain` is
    /// dropped (so it stays on the host it came from, never a parent domain other
    /// sessions share), and under a path prefix its `Path` is moved below the prefix.
    ///
    /// - Returns: nil for a cookie named like the proxy's own, which a backend may not set.
    func confinedCookie(_ header: String, prefix: String) -> String? {
        var parts = header.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, first.prefix(while: { $0 != "=" }) != ConnectionAuthorizer.cookieName else { return nil }
        parts.removeAll { $0.lowercased().hasPrefix("domain=") }
        if prefix != "/" {
            let base = String(prefix.dropLast())
            if let index = parts.indices.dropFirst().first(where: { parts[$0].lowercased().hasPrefix("path=") }) {
                let path = String(parts[index].dropFirst("path=".count))
                parts[index] = "Path=" + base + (path.hasPrefix("/") ? path : "/")
            } else {
                parts.append("Path=" + prefix)
            }
        }
        return masked(parts.joined(separator: "; "))
    }

    /// `text` with the backend's access token replaced by `***`.
    func masked(_ text: String) -> String {
        guard !accessToken.isEmpty else { return text }
        return text.replacingOccurrences(of: accessToken, with: "***")
    }
}
