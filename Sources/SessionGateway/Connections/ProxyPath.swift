internal import SessionSDK

/// The parts of a request target on the connection proxy:
/// `/sessions/WORKSPACE/SESSION/REST?QUERY` on the proxy's host, or `/REST?QUERY` on a
/// session's own host (``SessionHostPattern``).
struct ProxyPath: Sendable {
    /// The workspace the path names (not yet validated).
    var workspace: WorkspaceID
    /// The session the path names (not yet validated).
    var session: SessionID
    /// The path after the session's prefix, starting with `/`.
    var rest: String
    /// The query, without `?`; nil when there is none.
    var query: String?
    /// Whether the session's part ends with `/` (`/sessions/W/S/`), as links do.
    var hasTrailingSlash: Bool
    /// Where the session's pages start, the path its cookie is scoped to:
    /// `/sessions/W/S/`, or `/` on the session's own host.
    var prefix: String

    /// The parts of `uri`; nil when it is not under `/sessions/W/S`.
    init?(uri: String) {
        let pathPart = uri.prefix { $0 != "?" }
        query = pathPart.count < uri.count ? String(uri.dropFirst(pathPart.count + 1)) : nil
        let parts = pathPart.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].isEmpty, parts[1] == "sessions", !parts[2].isEmpty, !parts[3].isEmpty,
              !parts[3].hasPrefix("/")
        else { return nil }
        workspace = WorkspaceID(rawValue: String(parts[2]))
        let remainder = parts[3]
        let sessionPart = remainder.prefix { $0 != "/" }
        session = SessionID(rawValue: String(sessionPart))
        hasTrailingSlash = sessionPart.count < remainder.count
        rest = hasTrailingSlash ? String(remainder.dropFirst(sessionPart.count)) : "/"
        prefix = Self.prefix(workspace: workspace, session: session)
    }

    /// The parts of `uri` on the session's own host: all of its path is the session's.
    init(uri: String, onHostOf session: SessionID, in workspace: WorkspaceID) {
        let pathPart = uri.prefix { $0 != "?" }
        query = pathPart.count < uri.count ? String(uri.dropFirst(pathPart.count + 1)) : nil
        self.workspace = workspace
        self.session = session
        rest = pathPart.hasPrefix("/") ? String(pathPart) : "/" + pathPart
        hasTrailingSlash = true
        prefix = "/"
    }

    /// `/sessions/W/S/`: a session's root on the proxy's host.
    static func prefix(workspace: WorkspaceID, session: SessionID) -> String {
        "/sessions/\(workspace.rawValue)/\(session.rawValue)/"
    }

    /// The link's `access_token` query parameter, if present.
    var accessToken: String? {
        queryItems.first { $0.hasPrefix("access_token=") }.map { String($0.dropFirst("access_token=".count)) }
    }

    /// The query without `access_token`, nil when nothing is left.
    var queryWithoutAccessToken: String? {
        let kept = queryItems.filter { !$0.hasPrefix("access_token=") }
        return kept.isEmpty ? nil : kept.joined(separator: "&")
    }

    /// `?QUERY` or empty.
    var querySuffix: String { query.map { "?" + $0 } ?? "" }

    /// `?QUERY` without `access_token`, or empty.
    var querySuffixWithoutAccessToken: String { queryWithoutAccessToken.map { "?" + $0 } ?? "" }

    private var queryItems: [String] {
        (query ?? "").split(separator: "&").map(String.init)
    }
}
