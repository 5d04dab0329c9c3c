@testable import AWSBatchBackend
import Foundation
import SessionTestSupport
import Testing

/// The Swift signer against botocore's, row by row: botocore signs the same table at
/// test time (`scripts/lib/moto_signing_table.py`), and every row must agree exactly.
@Suite("Signature Version 4 equals botocore's")
struct SignatureV4Tests {
    /// One row of the table.
    struct Row: Sendable, CustomTestStringConvertible {
        var id: String
        var service = "batch"
        var region = "eu-west-1"
        var method = "GET"
        var host = "batch.eu-west-1.amazonaws.com"
        /// The path before encoding; the row sends it encoded as the client does.
        var rawPath = "/"
        var query: [(name: String, value: String)] = []
        var headers: [(name: String, value: String)] = []
        var body = ""
        var token: String?
        var presignExpires: Int?
        var timestamp = "20150830T123600Z"

        var testDescription: String { id }

        var wirePath: String { SignatureV4.percentEncode(rawPath, keepingSlashes: true) }
        var request: SignatureV4.Request {
            .init(method: method, host: host, path: wirePath, query: query, headers: headers, body: Array(body.utf8))
        }
        var credentials: AWSCredentials {
            AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: token)
        }
        var date: Date {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            return formatter.date(from: timestamp)!
        }
        var json: [String: Any] {
            [
                "id": id, "method": method, "url": "http://\(host)\(wirePath)",
                "query": query.map { [$0.name, $0.value] }, "headers": headers.map { [$0.name, $0.value] },
                "body": body, "service": service, "region": region, "accessKey": credentials.accessKeyID,
                "secretKey": credentials.secretAccessKey, "token": token as Any, "timestamp": timestamp,
                "presignExpires": presignExpires as Any,
            ]
        }
    }

    static let rows: [Row] = [
        Row(id: "get-root-empty-body"),
        Row(id: "post-json-body", method: "POST", rawPath: "/v1/submitjob",
            headers: [("Content-Type", "application/json")], body: #"{"jobName":"sgw-s1-a1","jobQueue":"q"}"#),
        Row(id: "path-spaces-unicode-double-encoded", service: "elasticfilesystem",
            host: "elasticfilesystem.eu-west-1.amazonaws.com", rawPath: "/2015-02-01/access-points/a b/ünï€😀"),
        Row(id: "path-spaces-unicode-s3-single-encoded", service: "s3", method: "PUT", host: "bucket.s3.amazonaws.com",
            rawPath: "/sessions/s 1/ünï€😀 +=&.tar.gz", body: "checkpoint bytes"),
        Row(id: "path-dot-segments-and-double-slashes", rawPath: "/a/./b/../c//d/"),
        Row(id: "s3-keeps-dot-segments", service: "s3", host: "bucket.s3.amazonaws.com", rawPath: "/a/./b/../c//d"),
        Row(id: "query-repeated-and-unsorted", query: [("b", "2"), ("a", "3"), ("a", "1"), ("A", "x"), ("a", "10")]),
        Row(id: "query-unicode-spaces-reserved",
            query: [("prefix", "sessions/s 1/ü€"), ("delimiter", "/"), ("x", "a+b=c&d"), ("empty", ""), ("~-_.", "*'()!")]),
        Row(id: "s3-list-objects-query", service: "s3", host: "127.0.0.1:5123", rawPath: "/checkpoints",
            query: [("list-type", "2"), ("prefix", "sessions/abc/"), ("continuation-token", "1/2+3==")]),
        Row(id: "header-case-and-repeats",
            headers: [("X-Custom-Header", "one"), ("x-custom-header", "two"), ("X-AMZ-TARGET", "Logs_20140328.GetLogEvents")]),
        Row(id: "header-folding-and-whitespace",
            headers: [("X-Folded", "  first   line\r\n\t  second\tline  "), ("Content-Type", "application/x-amz-json-1.1")]),
        Row(id: "excluded-headers-not-signed",
            headers: [("User-Agent", "sessiongw/1.0"), ("Expect", "100-continue"), ("X-Amzn-Trace-Id", "Root=1")]),
        Row(id: "session-token", method: "POST", rawPath: "/v1/describejobs", body: #"{"jobs":["a"]}"#,
            token: "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="),
        Row(id: "s3-session-token-empty-body", service: "s3", method: "DELETE", host: "bucket.s3.amazonaws.com",
            rawPath: "/sessions/s1/cp-1.tar.gz", token: "session-token/with+chars="),
        Row(id: "port-in-host", service: "logs", method: "POST", host: "127.0.0.1:5123",
            headers: [("X-Amz-Target", "Logs_20140328.GetLogEvents")], body: "{}", timestamp: "20240229T235959Z"),
        Row(id: "presign-s3-get", service: "s3", host: "127.0.0.1:5123", rawPath: "/checkpoints/sessions/s 1/cp.tar.gz",
            presignExpires: 3600),
        Row(id: "presign-s3-put-token-query", service: "s3", method: "PUT", host: "bucket.s3.amazonaws.com",
            rawPath: "/sessions/ü/cp.tar.gz", query: [("x-id", "PutObject")], token: "tok+en/=", presignExpires: 900),
    ]

    /// botocore's answers for the whole table, computed once.
    nonisolated(unsafe) static let expected: Result<[String: [String: Any]], any Error> = Result {
        let rows = try JSONSerialization.data(withJSONObject: Self.rows.map(\.json))
        let output = try TestTools.run(["python3", TestTools.repositoryPath("scripts/lib/moto_signing_table.py")], input: rows)
        guard let table = try JSONSerialization.jsonObject(with: output) as? [String: [String: Any]] else {
            throw TestTools.Failure("botocore's table is not a JSON object")
        }
        return table
    }

    @Test("the signature equals botocore's", arguments: rows)
    func matchesBotocore(_ row: Row) throws {
        let table = try Self.expected.get()
        let botocore = try #require(table[row.id], "botocore gave no answer for \(row.id)")
        let signer = SignatureV4(region: row.region, service: row.service)
        if let expires = row.presignExpires {
            let ours = signer.presignedQuery(for: row.request, credentials: row.credentials, date: row.date, expires: expires)
            let theirs = try #require(botocore["query"] as? [[String]])
            #expect(ours.map { [$0.name, $0.value] }.sorted { $0[0] < $1[0] } == theirs.sorted { $0[0] < $1[0] })
        } else {
            let ours = signer.signingHeaders(for: row.request, credentials: row.credentials, date: row.date)
            let theirs = try #require(botocore["headers"] as? [String: String])
            #expect(Dictionary(uniqueKeysWithValues: ours.map { ($0.name.lowercased(), $0.value) }) == theirs)
        }
    }

    @Test("encoding keeps only unreserved characters")
    func encoding() {
        #expect(SignatureV4.percentEncode("a b+c/ü~") == "a%20b%2Bc%2F%C3%BC~")
        #expect(SignatureV4.percentEncode("/a b/", keepingSlashes: true) == "/a%20b/")
        #expect(SignatureV4.removingDotSegments("/a/./b/../c//d/") == "/a/c/d/")
        #expect(SignatureV4.removingDotSegments("/..") == "/")
    }

    @Test("credentials never show their secret or token")
    func credentialsHideSecrets() {
        let credentials = AWSCredentials(accessKeyID: "AKID", secretAccessKey: "very-secret", sessionToken: "token-value")
        #expect(!"\(credentials)".contains("very-secret"))
        #expect(!"\(credentials)".contains("token-value"))
    }
}
