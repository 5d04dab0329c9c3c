import NIOCore
import NIOHTTP1
import NIOPosix
import SessionSDK

/// A minimal HTTP/1.1 client for slurmrestd: one connection per request
/// (`Connection: close`), over TCP or a Unix domain socket, with a time limit.
///
/// slurmrestd speaks plain HTTP (sites put TLS in front of it with a proxy), and a
/// request every poll interval does not need connection reuse.
struct HTTPTransport: Sendable {
    /// Where slurmrestd listens.
    enum Target: Hashable, Sendable, CustomStringConvertible {
        /// `http://host:port`.
        case tcp(host: String, port: Int)
        /// `unix:/path/to/socket`.
        case unixSocket(path: String)

        var description: String {
            switch self {
            case .tcp(let host, let port): "http://\(host):\(port)"
            case .unixSocket(let path): "unix:\(path)"
            }
        }
    }

    /// A response.
    struct Response: Sendable {
        /// The HTTP status code.
        var status: Int
        /// The body.
        var body: [UInt8]
    }

    /// Where requests go.
    var target: Target
    /// How long one request may take, connecting included.
    var timeout: Duration

    /// Sends one request. A `GET` or `DELETE` whose connection fails (not one that
    /// times out) is sent again, up to twice: both are idempotent for slurmrestd.
    ///
    /// - Throws: `UNAVAILABLE` when slurmrestd cannot be reached or does not answer in
    ///   time.
    func send(
        method: HTTPMethod, path: String, headers: [(String, String)], body: [UInt8]?
    ) async throws(SessionError) -> Response {
        let attempts = method == .GET || method == .DELETE ? 3 : 1
        var attempt = 1
        while true {
            do {
                return try await sendOnce(method: method, path: path, headers: headers, body: body)
            } catch let error where error.cause != nil && attempt < attempts {
                attempt += 1
                try? await Task.sleep(for: .milliseconds(100 * attempt))
            }
        }
    }

    /// One attempt; the error has a `cause` when the connection failed, none when the
    /// time ran out.
    private func sendOnce(
        method: HTTPMethod, path: String, headers: [(String, String)], body: [UInt8]?
    ) async throws(SessionError) -> Response {
        do {
            return try await withThrowingTaskGroup(of: Response?.self) { group in
                group.addTask { try await exchange(method: method, path: path, headers: headers, body: body) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else {
                    throw SessionError(.unavailable, "slurmrestd at \(target) did not answer \(method) \(path) within \(timeout)")
                }
                return response
            }
        } catch let error as SessionError {
            throw error
        } catch {
            throw SessionError(
                .unavailable, "cannot reach slurmrestd at \(target) (\(error)); check that it runs and the backend's url setting",
                cause: error)
        }
    }

    private func exchange(
        method: HTTPMethod, path: String, headers: [(String, String)], body: [UInt8]?
    ) async throws -> Response {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout.components.seconds * 1000)))
        let initializer: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
            }
        }
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        let host: String
        switch target {
        case .tcp(let name, let port):
            channel = try await bootstrap.connect(host: name, port: port, channelInitializer: initializer)
            host = "\(name):\(port)"
        case .unixSocket(let path):
            channel = try await bootstrap.connect(to: try SocketAddress(unixDomainSocketPath: path), channelInitializer: initializer)
            host = "localhost"
        }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "Host", value: host)
            head.headers.add(name: "Connection", value: "close")
            head.headers.add(name: "Accept", value: "application/json")
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            if let body {
                head.headers.add(name: "Content-Type", value: "application/json")
                head.headers.add(name: "Content-Length", value: String(body.count))
            }
            var parts: [HTTPClientRequestPart] = [.head(head)]
            if let body { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            parts.append(.end(nil))
            // slurmrestd may answer and close as soon as it has the request, before the
            // last write completes: a failed write is an error only when no answer came.
            var writeError: (any Error)?
            do {
                try await outbound.write(contentsOf: parts)
            } catch {
                writeError = error
            }
            var status = 0
            var collected = ByteBuffer()
            do {
                for try await part in inbound {
                    switch part {
                    case .head(let responseHead): status = Int(responseHead.status.code)
                    case .body(var chunk): collected.writeBuffer(&chunk)
                    case .end: return Response(status: status, body: Array(collected.readableBytesView))
                    }
                }
            } catch {
                throw writeError ?? error
            }
            throw writeError ?? ClosedBeforeAnswering()
        }
    }

    /// The connection ended before a whole response came.
    private struct ClosedBeforeAnswering: Error, CustomStringConvertible {
        var description: String { "the connection closed before a whole answer came" }
    }
}
