public import Foundation
public import SessionSDK

/// The Jupyter server serving as a session's IDE, seen through the Jupyter Server REST
/// API on the loopback (`/api/kernels`, `/api/sessions`, `/api/terminals`), with the
/// session's access token (`Authorization: token …`) and base URL.
///
/// An IDE that is not a Jupyter server (it refuses or does not understand the calls)
/// has no activities: ``activities()`` returns none rather than failing.
public struct JupyterServer: Sendable {
    /// The port it serves on (`$SESSION_PORT`).
    public var port: Int
    /// The session's access token (`$SESSION_TOKEN`).
    public var token: String
    /// The server's base URL path (`$SESSION_BASE_URL`), `/` by default.
    public var basePath: String

    /// A server; `basePath` gets its leading and trailing `/`.
    public init(port: Int, token: String, basePath: String = "/") {
        self.port = port
        self.token = token
        let trimmed = basePath.split(separator: "/").joined(separator: "/")
        self.basePath = trimmed.isEmpty ? "/" : "/\(trimmed)/"
    }

    /// Its kernels (named by their notebooks' paths) and terminals; none when the
    /// server is not a Jupyter server or does not answer.
    public func activities() async -> [SessionActivity] {
        let port = port, token = token, basePath = basePath
        return await Self.offPool {
            guard let kernels = Self.json(Self.call("GET", "api/kernels", port: port, token: token, basePath: basePath)) as? [[String: Any]]
            else { return [] }
            var paths: [String: String] = [:]
            for session in Self.json(Self.call("GET", "api/sessions", port: port, token: token, basePath: basePath)) as? [[String: Any]] ?? [] {
                if let kernel = (session["kernel"] as? [String: Any])?["id"] as? String, let path = session["path"] as? String {
                    paths[kernel] = path
                }
            }
            var activities = kernels.compactMap { kernel -> SessionActivity? in
                guard let id = kernel["id"] as? String else { return nil }
                return SessionActivity(
                    kind: .notebookKernel, id: id, name: paths[id] ?? (kernel["name"] as? String ?? id),
                    lastActivityAt: (kernel["last_activity"] as? String).flatMap(Self.date),
                    state: kernel["execution_state"] as? String ?? "unknown")
            }
            let terminals = Self.json(Self.call("GET", "api/terminals", port: port, token: token, basePath: basePath)) as? [[String: Any]] ?? []
            activities += terminals.compactMap { terminal -> SessionActivity? in
                guard let name = terminal["name"] as? String else { return nil }
                return SessionActivity(
                    kind: .jupyterTerminal, id: name, name: "terminal \(name)",
                    lastActivityAt: (terminal["last_activity"] as? String).flatMap(Self.date), state: "running")
            }
            return activities
        }
    }

    /// Shuts a kernel or terminal down.
    ///
    /// - Throws: `NOT_FOUND` for one the server does not have; `UNAVAILABLE` when the
    ///   server does not answer or refuses.
    public func shutdown(_ kind: SessionActivity.Kind, id: String) async throws(SessionError) {
        let collection: String
        switch kind {
        case .notebookKernel: collection = "api/kernels"
        case .jupyterTerminal: collection = "api/terminals"
        case .terminal: throw SessionError(.invalidArgument, "the session's own terminals are not the Jupyter server's")
        }
        guard let escaped = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) else {
            throw SessionError(.invalidArgument, "'\(id.prefix(100))' is not an id")
        }
        let (port, token, basePath) = (port, token, basePath)
        let result = await Self.offPool { Self.call("DELETE", "\(collection)/\(escaped)", port: port, token: token, basePath: basePath) }
        switch result {
        case .success(let response) where (200..<300).contains(response.status): return
        case .success(let response) where response.status == 404:
            throw SessionError(.notFound, "the session's Jupyter server has no \(kind == .notebookKernel ? "kernel" : "terminal") '\(id.prefix(100))'")
        case .success(let response):
            throw SessionError(.unavailable, "the session's Jupyter server answered HTTP \(response.status) to the shutdown; retry")
        case .failure(let failure):
            throw SessionError(.unavailable, "the session's Jupyter server does not answer (\(failure)); retry")
        }
    }

    // MARK: Calls

    private static func call(
        _ method: String, _ path: String, port: Int, token: String, basePath: String
    ) -> Result<LoopbackHTTP.Response, LoopbackHTTP.Failure> {
        Result { () throws(LoopbackHTTP.Failure) in
            try LoopbackHTTP.request(method, port: port, path: basePath + path, headers: ["Authorization": "token \(token)"])
        }
    }

    /// The JSON of a successful response; nil otherwise.
    private static func json(_ result: Result<LoopbackHTTP.Response, LoopbackHTTP.Failure>) -> Any? {
        guard case .success(let response) = result, response.status == 200 else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(response.body))
    }

    /// Runs blocking work on a thread of its own, off the cooperative pool.
    private static func offPool<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            DetachedThread.start { continuation.resume(returning: work()) }
        }
    }

    /// A Jupyter timestamp (`2024-05-01T12:00:00.123456Z`, UTC); nil when it is not one.
    static func date(_ text: String) -> Date? {
        let whole = text.prefix { $0 != "." && $0 != "Z" && $0 != "+" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let base = formatter.date(from: whole + "Z") else { return nil }
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix { $0.isNumber }
            fraction = Double("0." + digits) ?? 0
        }
        return base.addingTimeInterval(fraction)
    }
}
