internal import Crypto
import Foundation

/// AWS Signature Version 4, as a pure value: it turns a request, credentials and a
/// time into the headers (or, presigned, the query parameters) that authenticate it.
/// No I/O, no clock: the caller passes the time.
///
/// The canonical request follows the rules botocore implements, which the test table
/// checks row by row against botocore itself:
/// - **Path.** The request's path is the path as sent, already percent-encoded (see
///   ``percentEncode(_:keepingSlashes:)``). For every service but S3 it is normalized
///   (dot segments and empty segments removed, a trailing `/` kept) and encoded a second
///   time; S3 signs it exactly as sent.
/// - **Query.** Parameters are encoded (everything but `A-Z a-z 0-9 - _ . ~`, as UTF-8),
///   then sorted by encoded name and, for repeated names, by encoded value.
/// - **Headers.** Names are lower-cased and sorted; values are trimmed and every run
///   of white space (also folded lines) becomes one space; repeated headers are joined
///   with `,`. `host` is always signed; `user-agent`, `expect` and `x-amzn-trace-id` never.
/// - **Payload.** The SHA-256 of the body (of nothing, for an empty body); S3 also sends
///   it as `x-amz-content-sha256`; presigned S3 URLs use `UNSIGNED-PAYLOAD`.
/// - **Session tokens** are sent (and signed) as `x-amz-security-token`.
struct SignatureV4: Sendable {
    /// A request to sign.
    struct Request: Sendable {
        /// `GET`, `PUT`, ...
        var method: String
        /// `host` or `host:port`, as the `Host` header carries it.
        var host: String
        /// The path as sent on the wire, percent-encoded, starting with `/`.
        var path: String
        /// Query parameters, not encoded, in any order; names may repeat.
        var query: [(name: String, value: String)]
        /// Headers, in any case; names may repeat.
        var headers: [(name: String, value: String)]
        /// The body.
        var body: [UInt8]

        /// Creates a request.
        init(
            method: String, host: String, path: String, query: [(name: String, value: String)] = [],
            headers: [(name: String, value: String)] = [], body: [UInt8] = []
        ) {
            self.method = method
            self.host = host
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
        }

        /// The encoded query string as sent on the wire (in canonical order).
        var encodedQuery: String { SignatureV4.canonicalQuery(query) }
    }

    /// The region, such as `eu-west-1`.
    var region: String
    /// The service's signing name, such as `batch`, `elasticfilesystem`, `s3`, `logs`.
    var service: String

    /// The payload hash of presigned S3 URLs.
    static let unsignedPayload = "UNSIGNED-PAYLOAD"
    private static let excludedHeaders: Set<String> = ["user-agent", "expect", "x-amzn-trace-id", "authorization"]

    /// `20150830T123600Z` for `date`.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// The headers to add to `request` so that it is signed at `date`: `x-amz-date`,
    /// `x-amz-security-token` (with a session token), `x-amz-content-sha256` (S3), and
    /// `Authorization`.
    func signingHeaders(for request: Request, credentials: AWSCredentials, date: Date) -> [(name: String, value: String)] {
        let stamp = Self.timestamp(date)
        var added: [(name: String, value: String)] = [("X-Amz-Date", stamp)]
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        let payload = Self.hex(SHA256.hash(data: request.body))
        if service == "s3" { added.append(("X-Amz-Content-SHA256", payload)) }
        var headers = request.headers.filter { header in
            !added.contains { $0.name.lowercased() == header.name.lowercased() }
        }
        headers += added
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(headers, host: request.host)
        let canonical = [
            request.method.uppercased(), canonicalPath(request.path), Self.canonicalQuery(request.query),
            canonicalHeaders + "\n", signedHeaders, payload,
        ].joined(separator: "\n")
        let signature = sign(canonical, stamp: stamp, credentials: credentials)
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(stamp)), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return added + [("Authorization", authorization)]
    }

    /// The query parameters that make `request` a presigned URL valid for `expires`
    /// seconds from `date` (to be added to its own query parameters). Only `host` is
    /// signed, and for S3 the payload is `UNSIGNED-PAYLOAD`.
    func presignedQuery(for request: Request, credentials: AWSCredentials, date: Date, expires: Int) -> [(name: String, value: String)] {
        let stamp = Self.timestamp(date)
        var parameters: [(name: String, value: String)] = [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(stamp))"),
            ("X-Amz-Date", stamp),
            ("X-Amz-Expires", String(expires)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken { parameters.append(("X-Amz-Security-Token", token)) }
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders([], host: request.host)
        let payload = service == "s3" ? Self.unsignedPayload : Self.hex(SHA256.hash(data: request.body))
        let canonical = [
            request.method.uppercased(), canonicalPath(request.path), Self.canonicalQuery(request.query + parameters),
            canonicalHeaders + "\n", signedHeaders, payload,
        ].joined(separator: "\n")
        return parameters + [("X-Amz-Signature", sign(canonical, stamp: stamp, credentials: credentials))]
    }

    // MARK: Canonical parts

    /// `yyyymmdd/region/service/aws4_request`.
    private func scope(_ stamp: String) -> String {
        "\(stamp.prefix(8))/\(region)/\(service)/aws4_request"
    }

    /// The signature of the canonical request.
    private func sign(_ canonical: String, stamp: String, credentials: AWSCredentials) -> String {
        let stringToSign = [
            "AWS4-HMAC-SHA256", stamp, scope(stamp), Self.hex(SHA256.hash(data: Array(canonical.utf8))),
        ].joined(separator: "\n")
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [String(stamp.prefix(8)), region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    /// The canonical URI: S3 signs the path as sent; other services normalize it and
    /// encode it again.
    func canonicalPath(_ path: String) -> String {
        if service == "s3" { return path.isEmpty ? "/" : path }
        return Self.percentEncode(Self.removingDotSegments(path.isEmpty ? "/" : path), keepingSlashes: true)
    }

    /// RFC 3986 dot-segment removal, also dropping empty segments (as AWS requires).
    static func removingDotSegments(_ path: String) -> String {
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                if !output.isEmpty { output.removeLast() }
            } else {
                output.append(segment)
            }
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return first + output.joined(separator: "/") + last
    }

    /// The sorted, encoded query.
    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        let encoded: [(String, String)] = query.map { (percentEncode($0.name), percentEncode($0.value)) }
        let sorted = encoded.sorted { (left: (String, String), right: (String, String)) -> Bool in
            left.0 == right.0 ? left.1 < right.1 : left.0 < right.0
        }
        return sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Canonical header lines and the signed header list; `host` added when absent.
    static func canonicalHeaders(_ headers: [(name: String, value: String)], host: String) -> (String, String) {
        var values: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased().trimmingCharacters(in: .whitespaces)
            guard !excludedHeaders.contains(name) else { continue }
            values[name, default: []].append(header.value.split(whereSeparator: \.isWhitespace).joined(separator: " "))
        }
        if values["host"] == nil { values["host"] = [host] }
        let names = values.keys.sorted()
        let lines = names.map { "\($0):\(values[$0]!.joined(separator: ","))" }
        return (lines.joined(separator: "\n"), names.joined(separator: ";"))
    }

    /// `text` with every byte but `A-Z a-z 0-9 - _ . ~` (and `/` when asked) as `%XX`
    /// of its UTF-8 encoding.
    static func percentEncode(_ text: String, keepingSlashes: Bool = false) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlashes:
                output.append("/")
            default:
                output += String(format: "%%%02X", byte)
            }
        }
        return output
    }

    /// Lower-case hex of a digest or MAC.
    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
