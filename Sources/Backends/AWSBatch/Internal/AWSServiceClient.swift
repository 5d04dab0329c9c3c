import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SessionSDK

/// Sends signed requests to one AWS service and retries what may succeed later:
/// throttling answers, 5xx answers and connections that fail, with jittered
/// exponential back-off ("full jitter": a random delay up to `base · 2^attempt`,
/// capped). What still fails is a ``SessionError``: `UNAVAILABLE` for an endpoint
/// that cannot be reached, throttles or fails on its side; ``AWSServiceError`` for
/// other answers, which callers map with ``AWSServiceError/sessionError(_:)``.
struct AWSServiceClient: Sendable {
    /// An answer.
    struct Response: Sendable {
        /// The HTTP status.
        var status: Int
        /// The headers.
        var headers: HTTPHeaders
        /// The body.
        var body: [UInt8]

        /// The body as JSON.
        func json() throws -> JSONValue {
            do {
                return try JSONValue.parse(body)
            } catch {
                throw SessionError(.unavailable, "the AWS endpoint answered with a body that is not JSON", cause: error)
            }
        }
    }

    /// The service's display name, for messages (`AWS Batch`, `Amazon EFS`, ...).
    var displayName: String
    /// The signer (region and signing name).
    var signer: SignatureV4
    /// `https` or `http`.
    var scheme: String
    /// `host` or `host:port`.
    var host: String
    /// A path prefix before every request's path (for path-style endpoints), or empty.
    var basePath: String
    /// Where credentials come from.
    var credentials: CredentialSource
    /// The retry rules.
    var retry: RetryPolicy
    /// How long one request may take.
    var requestTimeout: Duration
    /// The HTTP client.
    var http: HTTPClient
    /// Where requests are logged (at debug; never with signatures or keys).
    var logger: Logger

    /// The cause of the `UNAVAILABLE` error of a non-idempotent request whose answer
    /// never came: it may or may not have taken effect.
    struct AnswerLost: Error, Sendable {
        /// The transport's error.
        var cause: any Error
    }

    /// The endpoint as a URL, for messages.
    var endpoint: String { "\(scheme)://\(host)\(basePath)" }

    /// Sends a request, signing every attempt afresh.
    ///
    /// - Parameters:
    ///   - path: the path as sent, percent-encoded.
    ///   - idempotent: false for a request that must not be sent twice blindly (SubmitJob,
    ///     which has no client token): a failed connection or a lost answer (timeout) is
    ///     then not retried but thrown at once as `UNAVAILABLE`, with ``AnswerLost`` as
    ///     the cause, for the caller to find out whether the request took effect.
    ///     Throttling and 5xx answers are retried either way.
    func send(
        _ method: HTTPMethod, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: [UInt8] = [], idempotent: Bool = true, what: String
    ) async throws -> Response {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try await sendOnce(method, path: basePath + path, query: query, headers: headers, body: body)
                if (200..<300).contains(response.status) { return response }
                let error = AWSServiceError.parse(
                    status: response.status, errorTypeHeader: response.headers.first(name: "x-amzn-ErrorType"), body: response.body,
                    service: displayName)
                guard error.isRetryable, attempt < retry.maxAttempts else { throw error }
                logger.debug(
                    "retrying after an answer that may change",
                    metadata: ["aws.service": "\(displayName)", "aws.error": "\(error.code)", "aws.attempt": "\(attempt)"])
            } catch let error as AWSServiceError {
                throw error
            } catch let error as SessionError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                guard idempotent else {
                    throw SessionError(
                        .unavailable, "no answer from \(displayName) at \(endpoint) (\(what)): \(error)", cause: AnswerLost(cause: error))
                }
                guard attempt < retry.maxAttempts else {
                    throw SessionError(
                        .unavailable, "cannot reach \(displayName) at \(endpoint) (\(what)): \(error); check the endpoint and network, then retry",
                        cause: error)
                }
                logger.debug(
                    "retrying after a transport error",
                    metadata: ["aws.service": "\(displayName)", "aws.error": "\(error)", "aws.attempt": "\(attempt)"])
            }
            try await Task.sleep(for: retry.delay(afterAttempt: attempt))
        }
    }

    /// One signed request.
    private func sendOnce(
        _ method: HTTPMethod, path: String, query: [(name: String, value: String)], headers: [(name: String, value: String)],
        body: [UInt8]
    ) async throws -> Response {
        let credentials = try await credentials.current()
        let unsigned = SignatureV4.Request(method: method.rawValue, host: host, path: path, query: query, headers: headers, body: body)
        let signing = signer.signingHeaders(for: unsigned, credentials: credentials, date: Date())
        let queryString = unsigned.encodedQuery
        var request = HTTPClientRequest(url: "\(scheme)://\(host)\(path)" + (queryString.isEmpty ? "" : "?\(queryString)"))
        request.method = method
        for header in headers + signing { request.headers.add(name: header.name, value: header.value) }
        request.headers.replaceOrAdd(name: "Host", value: host)
        request.headers.replaceOrAdd(name: "User-Agent", value: "sessiongw-awsbatch/1.0")
        if !body.isEmpty || method == .PUT || method == .POST {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.execute(request, timeout: .nanoseconds(Int64(requestTimeout.components.seconds) * 1_000_000_000))
        let bytes = try await response.body.collect(upTo: 256 << 20)
        return Response(status: Int(response.status.code), headers: response.headers, body: Array(buffer: bytes))
    }

    /// A presigned URL for `method` on `path` (S3 objects), valid for `expires`.
    func presignedURL(_ method: HTTPMethod, path: String, expires: Duration) async throws -> String {
        let credentials = try await credentials.current()
        let request = SignatureV4.Request(method: method.rawValue, host: host, path: basePath + path)
        let query = signer.presignedQuery(for: request, credentials: credentials, date: Date(), expires: Int(expires.components.seconds))
        return "\(scheme)://\(host)\(basePath)\(path)?\(SignatureV4.canonicalQuery(query))"
    }
}
