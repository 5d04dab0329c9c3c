import SessionSDK

/// An error answer of the Kubernetes API: the HTTP status and the `Status` body's
/// reason, message and causes.
struct KubeAPIError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    var code: Int
    /// The Status reason, such as `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`,
    /// `Expired`, `Gone`, `TooManyRequests`, `Forbidden`.
    var reason: String
    /// The Status message.
    var message: String
    /// `field: message` of each cause.
    var causes: [String]

    /// `422 Invalid: message (field: cause; ...)`.
    var description: String {
        let detail = causes.isEmpty ? "" : " (\(causes.prefix(5).joined(separator: "; ")))"
        return "\(code) \(reason): \(message.prefix(500))\(detail)"
    }

    /// Parses an answer's body; a body that is not a Status still gives the HTTP status.
    static func parse(status: Int, body: [UInt8]) -> KubeAPIError {
        let object = try? KubeObject.parse(body)
        let reason = object?["reason"].string ?? Self.defaultReason(status)
        let message = object?["message"].string ?? String(decoding: body.prefix(300), as: UTF8.self)
        let causes = (object?["details"]["causes"].array ?? []).map { cause in
            [cause["field"].string, cause["message"].string].compactMap { $0 }.joined(separator: ": ")
        }
        return KubeAPIError(code: status, reason: reason, message: message, causes: causes)
    }

    private static func defaultReason(_ status: Int) -> String {
        switch status {
        case 400: "BadRequest"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 409: "Conflict"
        case 410: "Gone"
        case 422: "Invalid"
        case 429: "TooManyRequests"
        default: status >= 500 ? "InternalError" : "Unknown"
        }
    }

    /// Whether this is a 404.
    var isNotFound: Bool { code == 404 }
    /// Whether a create found the object there already.
    var isAlreadyExists: Bool { code == 409 && reason == "AlreadyExists" }
    /// Whether an update was made against a stale resourceVersion.
    var isConflict: Bool { code == 409 && reason != "AlreadyExists" }
    /// Whether a list or watch asked for a resourceVersion the server no longer has.
    var isExpired: Bool { code == 410 || reason == "Expired" || reason == "Gone" }

    /// The ``SessionError`` a caller sees; `what` says what the backend was doing.
    func sessionError(_ what: String) -> SessionError {
        let text = "\(what): the Kubernetes API answered \(description)"
        switch code {
        case 400, 422: return SessionError(.invalidArgument, text, cause: self)
        case 401:
            return SessionError(.unauthenticated, "\(text); check the backend's kubeconfig or service account token", cause: self)
        case 403:
            if message.contains("exceeded quota") || message.contains("forbidden: exceeded") {
                return SessionError(.resourceExhausted, text, cause: self)
            }
            return SessionError(
                .permissionDenied,
                "\(text); the backend's service account needs the RBAC rules in deploy/kubernetes/rbac.yaml (see the Kubernetes backend's README)",
                cause: self)
        case 404: return SessionError(.notFound, text, cause: self)
        case 409: return isAlreadyExists ? SessionError(.alreadyExists, text, cause: self) : SessionError(.aborted, "\(text); retry", cause: self)
        case 410: return SessionError(.aborted, "\(text); retry", cause: self)
        case 429: return SessionError(.unavailable, "\(text); the API server is throttling, retry later", cause: self)
        case 500...: return SessionError(.unavailable, "\(text); retry later", cause: self)
        default: return SessionError(.unknown, text, cause: self)
        }
    }
}
