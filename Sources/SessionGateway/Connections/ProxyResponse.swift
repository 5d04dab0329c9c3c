internal import NIOHTTP1
internal import SessionSDK

/// An answer the connection proxy gives itself, without the backend: a refusal
/// (401, 403, 404, 409, 502, 503, 504) with a message for people, or the redirect that
/// trades a link's access token for a cookie.
struct ProxyResponse: Sendable {
    /// The status.
    var status: HTTPResponseStatus
    /// Extra headers (`Location`, `Set-Cookie`, `WWW-Authenticate`, `Retry-After`).
    var headers: [(String, String)] = []
    /// The body, plain text.
    var body: String

    /// The response for a refusal: `UNAUTHENTICATED` is 401, `PERMISSION_DENIED` 403,
    /// `NOT_FOUND` 404, `FAILED_PRECONDITION` 409, `UNAVAILABLE` 503,
    /// `DEADLINE_EXCEEDED` 504, anything else 502.
    static func refusal(_ error: SessionError) -> ProxyResponse {
        switch error.code {
        case .unauthenticated:
            ProxyResponse(
                status: .unauthorized, headers: [("WWW-Authenticate", #"Bearer realm="sessiongw""#)], body: error.message)
        case .permissionDenied: ProxyResponse(status: .forbidden, body: error.message)
        case .notFound, .invalidArgument: ProxyResponse(status: .notFound, body: error.message)
        case .failedPrecondition: ProxyResponse(status: .conflict, body: error.message)
        case .unavailable: ProxyResponse(status: .serviceUnavailable, headers: [("Retry-After", "2")], body: error.message)
        case .deadlineExceeded: ProxyResponse(status: .gatewayTimeout, body: error.message)
        default: ProxyResponse(status: .badGateway, body: error.message)
        }
    }
}

