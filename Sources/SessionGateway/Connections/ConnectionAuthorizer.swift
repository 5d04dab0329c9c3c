internal import Foundation
internal import NIOHTTP1
internal import SessionAPI
internal import SessionSDK

/// Decides, for every request to the connection proxy, whether it reaches the
/// session's backend: it finds the session from the path
/// (`/sessions/WORKSPACE/SESSION/...`) or, with per-session origins, from the `Host`
/// (the session's own host; path-based addresses are then refused), the caller from a
/// link ticket (the
/// `access_token` query parameter, `Authorization: Bearer`, `X-Session-Token`, or the
/// cookie a browser traded it for) or an `Authorization: Bearer` credential the gRPC
/// API accepts (API token, JWT, administrator token), and checks that the caller
/// is a member of the workspace with at least `connect`, and that the session is
/// RUNNING with a known endpoint.
///
/// Refusals do not reveal what the caller may not see: another workspace's session and
/// a session that does not exist are both 404.
struct ConnectionAuthorizer: Sendable {
    /// The cookie a link is traded for.
    static let cookieName = "sessiongw_link"
    /// The header a link's ticket may also come in, as the sample IDE's clients send
    /// its token.
    static let ticketHeader = "x-session-token"

    let store: SessionStore
    let authenticator: Authenticator
    let signer: LinkTicketSigner
    let cookieLifetime: Double
    let secureCookies: Bool
    /// Each session's own host, when sessions have their own origins.
    let sessionHost: SessionHostPattern?
    let now: @Sendable () -> Double

    /// What to do with a request.
    enum Decision: Sendable {
        /// Send it to the backend.
        case forward(ForwardPlan)
        /// Answer it here.
        case respond(ProxyResponse)
    }

    /// The workspace of sessions that do not exist: not a valid name, so nobody's.
    static let noWorkspace = WorkspaceID(rawValue: "\u{0}")

    /// The decision for a request with this head.
    func decide(_ head: HTTPRequestHead) async -> Decision {
        if let sessionHost {
            guard let host = head.headers.first(name: "host"), let session = sessionHost.session(inHost: host) else {
                return .respond(ProxyResponse(
                    status: .notFound,
                    body: "this gateway serves each session at its own host (\(sessionHost.host(for: SessionID(rawValue: "SESSION")))); "
                        + "open the session's link again"))
            }
            // An unknown session gets a workspace no caller belongs to, so that it is refused
            // like a hidden one, after authentication (no way to probe which ids exist).
            let workspace = (try? await store.workspace(ofSession: session)) ?? Self.noWorkspace
            return await decide(head, path: ProxyPath(uri: head.uri, onHostOf: session, in: workspace))
        }
        guard let path = ProxyPath(uri: head.uri) else {
            return .respond(ProxyResponse(
                status: .notFound, body: "not a session's address; links look like /sessions/WORKSPACE/SESSION/"))
        }
        guard path.hasTrailingSlash else {
            return .respond(ProxyResponse(
                status: .permanentRedirect, headers: [("Location", path.prefix + path.querySuffix)], body: ""))
        }
        return await decide(head, path: path)
    }

    /// The decision for a request for `path`.
    private func decide(_ head: HTTPRequestHead, path: ProxyPath) async -> Decision {
        do throws(SessionError) {
            let (caller, fromQueryTicket) = try await authenticate(head, path: path)
            let session = try await authorize(caller, path: path)
            if fromQueryTicket, Self.isNavigation(head) {
                return .respond(tradeForCookie(caller, path: path))
            }
            guard let target = try backend(of: session) else {
                return .respond(ProxyResponse(
                    status: .badGateway,
                    body: "the session's backend gave an address the proxy cannot reach (only http:// is supported)"))
            }
            return .forward(ForwardPlan(
                caller: caller, workspace: path.workspace, session: path.session, target: target,
                requestTarget: target.requestTarget(rest: path.rest, query: path.queryWithoutAccessToken),
                prefix: path.prefix, upgrade: Self.isUpgrade(head)))
        } catch {
            return .respond(.refusal(error))
        }
    }

    /// Whether the caller of an earlier decision may still reach the session: for open
    /// tunnels and long responses, checked every few seconds. Not once the credential
    /// it came with has expired.
    func stillAllowed(_ plan: ForwardPlan) async -> Bool {
        if let expiry = plan.caller.expiresAt, now() >= expiry { return false }
        do throws(SessionError) {
            try await checkToken(of: plan.caller)
            let path = ProxyPath(uri: "/", onHostOf: plan.session, in: plan.workspace)
            _ = try await authorize(plan.caller, path: path)
            return true
        } catch {
            return false
        }
    }

    /// Whether a request is a browser opening a page (GET or HEAD accepting HTML, no
    /// upgrade): the link's ticket is then traded for a cookie. Other clients (curl,
    /// scripts) are answered directly, the ticket serving for that one request.
    static func isNavigation(_ head: HTTPRequestHead) -> Bool {
        (head.method == .GET || head.method == .HEAD) && !isUpgrade(head)
            && head.headers["accept"].contains { $0.lowercased().contains("text/html") }
    }

    /// Whether a request asks to switch protocols (`Connection: upgrade` and `Upgrade`).
    static func isUpgrade(_ head: HTTPRequestHead) -> Bool {
        head.headers.contains(name: "upgrade")
            && head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
    }

    // MARK: Steps

    private func authenticate(
        _ head: HTTPRequestHead, path: ProxyPath
    ) async throws(SessionError) -> (ConnectionCaller, fromQueryTicket: Bool) {
        if let ticket = path.accessToken {
            let verified = try signer.verify(ticket, kind: .link, workspace: path.workspace, session: path.session, now: now())
            let caller = ConnectionCaller(verified)
            try await checkToken(of: caller)
            return (caller, true)
        }
        if let header = head.headers.first(name: Self.ticketHeader), header.hasPrefix(LinkTicketSigner.prefix) {
            let verified = try signer.verify(header, kind: .link, workspace: path.workspace, session: path.session, now: now())
            let caller = ConnectionCaller(verified)
            try await checkToken(of: caller)
            return (caller, false)
        }
        if let authorization = head.headers.first(name: "authorization"), authorization.lowercased().hasPrefix("bearer ") {
            let bearer = authorization.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
            if bearer.hasPrefix(LinkTicketSigner.prefix) {
                let verified = try signer.verify(bearer, kind: .link, workspace: path.workspace, session: path.session, now: now())
                let caller = ConnectionCaller(verified)
                try await checkToken(of: caller)
                return (caller, false)
            }
            let principal = try await authenticator.authenticate(authorization: authorization)
            var tokenID: String?
            if case .apiToken(let id) = principal.credential { tokenID = id }
            let caller = ConnectionCaller(
                caller: principal.caller, administrator: principal.isAdministrator, tokenID: tokenID, expiresAt: principal.expiresAt)
            return (caller, false)
        }
        let cookies = Self.cookies(named: Self.cookieName, in: head.headers)
        guard !cookies.isEmpty else {
            throw SessionError(
                .unauthenticated,
                "open the link GetSessionConnection returns (URL?access_token=TOKEN), or send 'Authorization: Bearer TOKEN' with an API token or JWT")
        }
        var refusal = SessionError(.unauthenticated, "the sign-in cookie is not valid; open the session's link again")
        for cookie in cookies {
            do throws(SessionError) {
                let verified = try signer.verify(cookie, kind: .cookie, workspace: path.workspace, session: path.session, now: now())
                let caller = ConnectionCaller(verified)
                try await checkToken(of: caller)
                return (caller, false)
            } catch {
                refusal = error
            }
        }
        throw refusal
    }

    /// Refuses a ticket whose API token was revoked or expired since it was issued.
    private func checkToken(of caller: ConnectionCaller) async throws(SessionError) {
        guard let id = caller.tokenID else { return }
        guard let token = try await store.token(id: id), token.revokedAt == nil,
              token.expiresAt.map({ now() < $0 }) ?? true
        else {
            throw SessionError(.unauthenticated, "the API token '\(id)' this link was issued to was revoked or expired")
        }
    }

    /// The session, once the caller's role allows connecting to it.
    private func authorize(_ caller: ConnectionCaller, path: ProxyPath) async throws(SessionError) -> Session {
        let hidden = SessionError(
            .notFound, "session '\(path.session.rawValue.prefix(64))' not found in workspace '\(path.workspace.rawValue.prefix(64))', or you are not a member of it")
        let workspace: WorkspaceID
        let id: SessionID
        do throws(SessionError) {
            workspace = try WorkspaceID(validating: path.workspace.rawValue)
            id = try SessionID(validating: path.session.rawValue)
        } catch {
            throw hidden
        }
        if !caller.administrator {
            guard let role = try await store.role(of: caller.caller, in: workspace) else { throw hidden }
            guard role >= .connect else {
                throw SessionError(
                    .permissionDenied,
                    "your role in workspace '\(workspace)' is \(role.rawValue); connecting to sessions needs connect or higher")
            }
        }
        let session: Session
        do throws(SessionError) {
            session = try await store.session(id: id, workspace: workspace)
        } catch where error.code == .notFound {
            throw hidden
        }
        return session
    }

    /// The backend of a RUNNING session.
    private func backend(of session: Session) throws(SessionError) -> BackendTarget? {
        guard session.state == .running else {
            throw SessionError(
                .failedPrecondition, "session '\(session.name)' is \(session.state), not RUNNING; resume it and open the link again")
        }
        guard let connection = session.connection else {
            throw SessionError(.unavailable, "session '\(session.name)' is RUNNING but its endpoint is not known yet; retry")
        }
        return BackendTarget(url: connection.url, accessToken: connection.accessToken)
    }

    /// The redirect that sets the cookie and drops `access_token` from the address bar.
    private func tradeForCookie(_ caller: ConnectionCaller, path: ProxyPath) -> ProxyResponse {
        let expiry = now() + cookieLifetime
        let cookie = signer.sign(LinkTicket(
            kind: .cookie, workspace: path.workspace, session: path.session, caller: caller.caller,
            administrator: caller.administrator, tokenID: caller.tokenID, expiresAt: expiry))
        var attributes = "\(Self.cookieName)=\(cookie); Path=\(path.prefix); Max-Age=\(Int(cookieLifetime)); HttpOnly; SameSite=Strict"
        if secureCookies { attributes += "; Secure" }
        let location = path.prefix + String(path.rest.dropFirst()) + path.querySuffixWithoutAccessToken
        return ProxyResponse(
            status: .seeOther, headers: [("Location", location), ("Set-Cookie", attributes), ("Cache-Control", "no-store")],
            body: "")
    }

    /// The values of the cookies called `name`.
    static func cookies(named name: String, in headers: HTTPHeaders) -> [String] {
        headers["cookie"].flatMap { $0.split(separator: ";") }.compactMap { pair in
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(name + "=") else { return nil }
            return String(trimmed.dropFirst(name.count + 1))
        }
    }
}
