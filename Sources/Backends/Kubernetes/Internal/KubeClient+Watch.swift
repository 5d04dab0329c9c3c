import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SessionSDK

extension KubeClient {
    /// One event of a watch stream.
    struct WatchEvent: Sendable {
        /// `ADDED`, `MODIFIED`, `DELETED` or `BOOKMARK`.
        var type: String
        /// The object (for a bookmark, only its kind and resourceVersion).
        var object: KubeObject
    }

    /// Why a watch ended without an error of the transport.
    enum WatchEnd: Error, Sendable {
        /// The server ended the stream (its `timeoutSeconds` passed): watch again from the
        /// last resourceVersion.
        case closed
        /// The resourceVersion is older than the server keeps (`410 Gone`/`Expired`):
        /// list again.
        case expired
    }

    /// Watches a collection from `resourceVersion`, with bookmarks, calling `handle` for
    /// each event in order, until the server ends the stream (``WatchEnd/closed``), says the
    /// version expired (``WatchEnd/expired``), or the connection breaks (the transport's
    /// error: watch again from the last resourceVersion seen).
    ///
    /// - Throws: `WatchEnd`, a transport error, or a ``SessionError`` for other refusals.
    func watch(
        _ resource: KubeResource, namespace: String?, labelSelector: String?, resourceVersion: String, timeoutSeconds: Int = 60,
        handle: (WatchEvent) async throws -> Void
    ) async throws {
        var query: [(String, String)] = [
            ("watch", "true"), ("allowWatchBookmarks", "true"), ("resourceVersion", resourceVersion),
            ("timeoutSeconds", String(timeoutSeconds)),
        ]
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        let what = "watching \(resource.plural)"
        let request = try makeRequest(.GET, resource.path(namespace: namespace), query: query, body: nil, contentType: "")
        let response = try await http.execute(request, timeout: .seconds(Int64(timeoutSeconds) + 30))
        guard response.status.code == 200 else {
            let body = Array(buffer: try await response.body.collect(upTo: 1 << 20))
            let error = KubeAPIError.parse(status: Int(response.status.code), body: body)
            if error.isExpired { throw WatchEnd.expired }
            throw error.sessionError(what)
        }
        var pending: [UInt8] = []
        for try await chunk in response.body {
            pending.append(contentsOf: chunk.readableBytesView)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                guard !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) else { continue }
                let event = try parse(Response(status: 200, headers: [:], body: line), what)
                let type = event["type"].string ?? ""
                if type == "ERROR" {
                    let status = event["object"]
                    if status["code"].int == 410 || status["reason"].string == "Expired" || status["reason"].string == "Gone" {
                        throw WatchEnd.expired
                    }
                    throw SessionError(.unavailable, "\(what): the watch ended with \(status["message"].string ?? "an error")")
                }
                try await handle(WatchEvent(type: type, object: event["object"]))
            }
        }
        throw WatchEnd.closed
    }
}
