import Foundation
import NIOHTTP1
import SessionSDK

/// The Amazon EFS operations the backend uses (REST-JSON under `/2015-02-01`).
struct EFSAPI: Sendable {
    /// The signed client for `elasticfilesystem`.
    var client: AWSServiceClient

    private func call(
        _ method: HTTPMethod, _ path: String, query: [(name: String, value: String)] = [], body: JSONValue? = nil, what: String
    ) async throws -> JSONValue {
        do {
            let response = try await client.send(
                method, path: "/2015-02-01" + path, query: query,
                headers: body == nil ? [] : [("Content-Type", "application/json")], body: body?.bytes ?? [], what: what)
            return try response.json()
        } catch let error as AWSServiceError {
            throw error.sessionError(what)
        }
    }

    /// CreateAccessPoint.
    func createAccessPoint(_ request: JSONValue) async throws -> JSONValue {
        try await call(.POST, "/access-points", body: request, what: "creating an EFS access point")
    }

    /// One access point, or nil when it does not exist.
    func accessPoint(_ id: String) async throws -> JSONValue? {
        do {
            return try await call(.GET, "/access-points", query: [("AccessPointId", id)], what: "describing access point \(id)")["AccessPoints"].array.first
        } catch let error as SessionError where error.code == .notFound {
            return nil
        }
    }

    /// Every access point of a file system.
    func accessPoints(fileSystem: String) async throws -> [JSONValue] {
        var points: [JSONValue] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [("FileSystemId", fileSystem)]
            if let token { query.append(("NextToken", token)) }
            let answer = try await call(.GET, "/access-points", query: query, what: "listing the access points of \(fileSystem)")
            points += answer["AccessPoints"].array
            token = answer["NextToken"].string
        } while token != nil
        return points
    }

    /// DeleteAccessPoint; an access point that is already gone is fine.
    func deleteAccessPoint(_ id: String) async throws {
        do {
            _ = try await call(.DELETE, "/access-points/\(SignatureV4.percentEncode(id))", what: "deleting access point \(id)")
        } catch let error as SessionError where error.code == .notFound {
        }
    }

    /// Whether a file system exists (nil when it does not).
    func fileSystem(_ id: String) async throws -> JSONValue? {
        do {
            return try await call(.GET, "/file-systems", query: [("FileSystemId", id)], what: "describing file system \(id)")["FileSystems"].array.first
        } catch let error as SessionError where error.code == .notFound {
            return nil
        }
    }
}

/// The Amazon S3 operations the backend uses, path-style with an endpoint override and
/// virtual-hosted otherwise (the client's host and base path say which).
struct S3API: Sendable {
    /// The signed client for `s3`, addressed at one bucket.
    var client: AWSServiceClient

    private func keyPath(_ key: String) -> String { "/" + SignatureV4.percentEncode(key, keepingSlashes: true) }

    /// HEAD: the object's size, or nil when it does not exist.
    func objectSize(_ key: String) async throws -> Int64? {
        do {
            let response = try await client.send(.HEAD, path: keyPath(key), what: "looking for s3 object \(key)")
            return Int64(response.headers.first(name: "Content-Length") ?? "0") ?? 0
        } catch let error as AWSServiceError where error.status == 404 {
            return nil
        } catch let error as AWSServiceError {
            throw error.sessionError("looking for s3 object \(key)")
        }
    }

    /// GET: the object, or nil when it does not exist.
    func object(_ key: String) async throws -> [UInt8]? {
        do {
            return try await client.send(.GET, path: keyPath(key), what: "reading s3 object \(key)").body
        } catch let error as AWSServiceError where error.status == 404 {
            return nil
        } catch let error as AWSServiceError {
            throw error.sessionError("reading s3 object \(key)")
        }
    }

    /// PUT.
    func put(_ key: String, _ body: [UInt8]) async throws {
        do {
            _ = try await client.send(.PUT, path: keyPath(key), body: body, what: "writing s3 object \(key)")
        } catch let error as AWSServiceError {
            throw error.sessionError("writing s3 object \(key)")
        }
    }

    /// DELETE; a missing object is fine.
    func delete(_ key: String) async throws {
        do {
            _ = try await client.send(.DELETE, path: keyPath(key), what: "deleting s3 object \(key)")
        } catch let error as AWSServiceError where error.status == 404 {
        } catch let error as AWSServiceError {
            throw error.sessionError("deleting s3 object \(key)")
        }
    }

    /// The keys under `prefix` (ListObjectsV2, following continuation tokens).
    func keys(prefix: String) async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let text: String
            do {
                text = String(decoding: try await client.send(.GET, path: "", query: query, what: "listing s3 objects under \(prefix)").body, as: UTF8.self)
            } catch let error as AWSServiceError {
                throw error.sessionError("listing s3 objects under \(prefix)")
            }
            keys += Self.elements("Key", in: text).map(Self.unescapeXML)
            token = Self.elements("IsTruncated", in: text).first == "true" ? Self.elements("NextContinuationToken", in: text).first : nil
        } while token != nil
        return keys
    }

    /// A presigned URL for `method` on the object.
    func presignedURL(_ method: HTTPMethod, key: String, expires: Duration) async throws -> String {
        try await client.presignedURL(method, path: keyPath(key), expires: expires)
    }

    /// Whether the bucket exists and may be listed.
    func bucketExists() async throws -> Bool {
        do {
            _ = try await client.send(.GET, path: "", query: [("list-type", "2"), ("max-keys", "1")], what: "listing the checkpoint bucket")
            return true
        } catch let error as AWSServiceError where error.status == 404 {
            return false
        } catch let error as AWSServiceError {
            throw error.sessionError("listing the checkpoint bucket")
        }
    }

    private static func elements(_ name: String, in text: String) -> [String] {
        var values: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "<\(name)>"), let end = rest.range(of: "</\(name)>", range: start.upperBound..<rest.endIndex) {
            values.append(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return values
    }

    private static func unescapeXML(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// The CloudWatch Logs operation the backend uses (JSON 1.1, `X-Amz-Target`).
struct LogsAPI: Sendable {
    /// The signed client for `logs`.
    var client: AWSServiceClient

    /// The messages of a stream, oldest first, up to `limit` (following tokens until
    /// the stream repeats its token).
    func messages(group: String, stream: String, limit: Int = 10_000) async throws -> [String] {
        var messages: [String] = []
        var token: String?
        while messages.count < limit {
            var request: [String: JSONValue] = [
                "logGroupName": .string(group), "logStreamName": .string(stream), "startFromHead": true,
            ]
            if let token { request["nextToken"] = .string(token) }
            let answer: JSONValue
            do {
                answer = try await client.send(
                    .POST, path: "/", headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "Logs_20140328.GetLogEvents")],
                    body: JSONValue.object(request).bytes, what: "reading log stream \(stream)"
                ).json()
            } catch let error as AWSServiceError where error.code == "ResourceNotFoundException" {
                return messages
            } catch let error as AWSServiceError {
                throw error.sessionError("reading log stream \(stream)")
            }
            let events = answer["events"].array
            messages += events.compactMap { $0["message"].string }
            let next = answer["nextForwardToken"].string
            if events.isEmpty || next == nil || next == token { break }
            token = next
        }
        return messages
    }
}
