internal import SessionSDK

/// The parts of a request target on the connection proxy:
/// `/sessions/WORKSPACE/SESSION/REST?QUERY`.
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
    }

    /// The path of a session's root.
    init(workspace: WorkspaceID, session: SessionID) {
        self.workspace = workspace
        self.session = session
        rest = "/"
        query = nil
        hasTrailingSlash = true
    }

    /// `/sessions/W/S/`: the path the session's cookie is scoped to.
    var prefix: String { "/sessions/\(workspace.rawValue)/\(session.rawValue)/" }

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
