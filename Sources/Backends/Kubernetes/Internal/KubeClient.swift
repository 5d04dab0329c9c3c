import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import SessionSDK
import Synchronization

/// A small client of the Kubernetes REST API over HTTPS (async-http-client, TLS by
/// NIOSSL): get, list, create, replace, merge-patch, delete and watch, with the retry
/// rules of client-go: `429` is retried after its `Retry-After` (capped), `5xx` and
/// failed connections are retried with jittered back-off for idempotent calls, and
/// ``update(_:namespace:name:what:modify:)`` re-reads and re-applies its change on
/// `409 Conflict`. What still fails is a ``SessionError``; an API server that cannot be
/// reached is `UNAVAILABLE` ("the Kubernetes API at … cannot be reached").
struct KubeClient: Sendable {
    /// An answer.
    struct Response: Sendable {
        /// The HTTP status.
        var status: Int
        /// The headers.
        var headers: HTTPHeaders
        /// The body.
        var body: [UInt8]
    }

    /// The credentials and address.
    var credentials: KubeCredentials
    /// The HTTP client, shared by every client with the same TLS setup.
    var http: HTTPClient
    /// Retry rules.
    var retry: RetryPolicy
    /// How long one request may take.
    var requestTimeout: Duration
    /// Where requests are logged (at debug; never with tokens or secret values).
    var logger: Logger

    /// The server, for messages.
    var server: String { credentials.server }

    /// Creates a client.
    ///
    /// - Throws: `INVALID_ARGUMENT` when the certificates or key cannot be parsed.
    init(
        credentials: KubeCredentials, retry: RetryPolicy, requestTimeout: Duration, logger: Logger
    ) throws(SessionError) {
        self.credentials = credentials
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.logger = logger
        self.http = try Self.sharedClient(for: credentials)
    }

    // MARK: TLS and the shared HTTP clients

    /// HTTP clients live as long as the process (like `HTTPClient.shared`), one per TLS setup.
    private static let clients = Mutex<[String: HTTPClient]>([:])

    private static func sharedClient(for credentials: KubeCredentials) throws(SessionError) -> HTTPClient {
        let key = credentials.tlsKey
        if let client = clients.withLock({ $0[key] }) { return client }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try tlsConfiguration(credentials), redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5)))
        configuration.httpVersion = .http1Only
        configuration.connectionPool = .init(idleTimeout: .seconds(30))
        // The client's own retries (``send``) decide how long an unreachable server is
        // waited for; the pool's would hold every request until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        return clients.withLock { clients in
            if let existing = clients[key] {
                try? client.syncShutdown()
                return existing
            }
            clients[key] = client
            return client
        }
    }

    /// The TLS configuration: the kubeconfig's CA (else the system's), the client
    /// certificate and key, no verification only when the kubeconfig says so and the
    /// configuration allows it.
    static func tlsConfiguration(_ credentials: KubeCredentials) throws(SessionError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let authority = credentials.certificateAuthorityPEM {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(authority))
            }
            if let certificate = credentials.clientCertificatePEM, let key = credentials.clientKeyPEM {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
            }
        } catch {
            throw SessionError(.invalidArgument, "the Kubernetes credentials' certificates or key cannot be read as PEM: \(error)")
        }
        if credentials.insecureSkipTLSVerify { tls.certificateVerification = .none }
        return tls
    }

    // MARK: Requests

    /// Sends a request; retries as the type's description says.
    ///
    /// - Parameters:
    ///   - idempotent: whether sending it twice is harmless (5xx and failed connections are
    ///     then retried; `429` always is, as the server did not act on it).
    ///   - what: what the backend is doing, for messages.
    /// - Returns: the answer with a 2xx status.
    /// - Throws: ``KubeAPIError`` for other answers (callers map them), `UNAVAILABLE`
    ///   when the server cannot be reached or keeps failing.
    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: KubeObject? = nil,
        contentType: String = "application/json", idempotent: Bool, what: String
    ) async throws -> Response {
        var attempt = 0
        while true {
            attempt += 1
            var delay: Duration
            do {
                let response = try await sendOnce(method, path, query: query, body: body, contentType: contentType)
                if (200..<300).contains(response.status) { return response }
                let error = KubeAPIError.parse(status: response.status, body: response.body)
                let retryable = response.status == 429 || (idempotent && response.status >= 500)
                guard retryable, attempt < retry.maxAttempts else { throw error }
                delay = retry.delay(afterAttempt: attempt)
                if response.status == 429, let text = response.headers.first(name: "Retry-After"), let seconds = Int(text) {
                    delay = min(retry.maxDelay, max(delay, .seconds(seconds)))
                }
                logger.debug(
                    "retrying an answer that may change",
                    metadata: ["k8s.path": "\(path)", "k8s.status": "\(response.status)", "k8s.attempt": "\(attempt)"])
            } catch let error as KubeAPIError {
                throw error
            } catch let error as SessionError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                guard idempotent, attempt < retry.maxAttempts else { throw unreachable(what, error) }
                delay = retry.delay(afterAttempt: attempt)
                logger.debug("retrying after a transport error", metadata: ["k8s.path": "\(path)", "k8s.error": "\(error)"])
            }
            try await Task.sleep(for: delay)
        }
    }

    /// `UNAVAILABLE`: the API server cannot be reached.
    func unreachable(_ what: String, _ error: any Error) -> SessionError {
        SessionError(
            .unavailable,
            "the Kubernetes API at \(server) cannot be reached (\(what)): \(error); check that the API server runs and the network, then retry",
            cause: error)
    }

    /// The request as async-http-client sends it.
    func makeRequest(_ method: HTTPMethod, _ path: String, query: [(String, String)], body: KubeObject?, contentType: String)
        throws(SessionError) -> HTTPClientRequest
    {
        var request = HTTPClientRequest(url: server + path + Self.encode(query))
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "sessiongw-kubernetes/1.0")
        if let token = try credentials.bearerToken() {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body.json))
        }
        return request
    }

    private func sendOnce(_ method: HTTPMethod, _ path: String, query: [(String, String)], body: KubeObject?, contentType: String)
        async throws -> Response
    {
        let request = try makeRequest(method, path, query: query, body: body, contentType: contentType)
        let response = try await http.execute(request, timeout: .nanoseconds(Int64(requestTimeout.components.seconds) * 1_000_000_000))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Response(status: Int(response.status.code), headers: response.headers, body: Array(buffer: bytes))
    }

    /// `?a=b&c=d`, percent-encoded.
    static func encode(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let pairs = query.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }
        return "?" + pairs.joined(separator: "&")
    }

    // MARK: Verbs

    /// One object, or nil when there is none.
    func get(_ resource: KubeResource, namespace: String?, name: String, what: String) async throws -> KubeObject? {
        do {
            let response = try await send(.GET, resource.path(namespace: namespace, name: name), idempotent: true, what: what)
            return try parse(response, what)
        } catch let error as KubeAPIError {
            if error.isNotFound { return nil }
            throw error.sessionError(what)
        }
    }

    /// A list: its items and the list's resourceVersion.
    func list(
        _ resource: KubeResource, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil, what: String
    ) async throws -> (items: [KubeObject], resourceVersion: String) {
        var query: [(String, String)] = []
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        do {
            let response = try await send(.GET, resource.path(namespace: namespace), query: query, idempotent: true, what: what)
            let list = try parse(response, what)
            return (list["items"].array, list["metadata"]["resourceVersion"].string ?? "")
        } catch let error as KubeAPIError {
            throw error.sessionError(what)
        }
    }

    /// Creates an object; an object of that name already there is thrown as
    /// ``KubeAPIError`` (`isAlreadyExists`) for the caller to decide.
    func create(_ resource: KubeResource, namespace: String?, _ object: KubeObject, what: String) async throws -> KubeObject {
        let response = try await send(.POST, resource.path(namespace: namespace), body: object, idempotent: false, what: what)
        return try parse(response, what)
    }

    /// Creates an object unless one of that name exists; returns the one there.
    func createIfAbsent(_ resource: KubeResource, namespace: String?, _ object: KubeObject, what: String) async throws -> KubeObject {
        let name = object["metadata"]["name"].string ?? ""
        do {
            return try await create(resource, namespace: namespace, object, what: what)
        } catch let error as KubeAPIError {
            guard error.isAlreadyExists, let existing = try await get(resource, namespace: namespace, name: name, what: what) else {
                throw error.sessionError(what)
            }
            return existing
        } catch let error as SessionError where error.code == .unavailable {
            // The answer was lost: the object may exist now.
            guard let existing = try await get(resource, namespace: namespace, name: name, what: what) else { throw error }
            return existing
        }
    }

    /// Reads the object, lets `modify` change it, and replaces it with the read
    /// resourceVersion; on `409 Conflict` reads it again and re-applies the change.
    /// `modify` returns false when nothing needs changing (no write is made).
    ///
    /// - Returns: the object as stored, or nil when it does not exist.
    func update(
        _ resource: KubeResource, namespace: String?, name: String, what: String,
        modify: (inout KubeObject) throws -> Bool
    ) async throws -> KubeObject? {
        var attempt = 0
        while true {
            attempt += 1
            guard var object = try await get(resource, namespace: namespace, name: name, what: what) else { return nil }
            guard try modify(&object) else { return object }
            do {
                let response = try await send(
                    .PUT, resource.path(namespace: namespace, name: name), body: object, idempotent: true, what: what)
                return try parse(response, what)
            } catch let error as KubeAPIError {
                if error.isNotFound { return nil }
                guard error.isConflict, attempt < max(retry.maxAttempts, 3) else { throw error.sessionError(what) }
                logger.debug("update conflicted; reading again", metadata: ["k8s.object": "\(resource.kind)/\(name)", "k8s.attempt": "\(attempt)"])
            }
        }
    }

    /// Deletes an object; returns false when there was none.
    @discardableResult
    func delete(
        _ resource: KubeResource, namespace: String?, name: String, propagation: String = "Background", what: String
    ) async throws -> Bool {
        do {
            _ = try await send(
                .DELETE, resource.path(namespace: namespace, name: name), query: [("propagationPolicy", propagation)],
                idempotent: true, what: what)
            return true
        } catch let error as KubeAPIError {
            if error.isNotFound { return false }
            throw error.sessionError(what)
        }
    }

    /// A body as JSON.
    func parse(_ response: Response, _ what: String) throws(SessionError) -> KubeObject {
        do {
            return try KubeObject.parse(response.body)
        } catch {
            throw SessionError(.unavailable, "\(what): the Kubernetes API at \(server) answered with a body that is not JSON", cause: error)
        }
    }
}
