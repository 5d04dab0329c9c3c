import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SessionSDK

/// Where the backend's AWS credentials come from, tried in order, as the AWS SDKs do:
///
/// 1. `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` in the
///    environment;
/// 2. the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default
///    `~/.aws/credentials`) and config file (`AWS_CONFIG_FILE`, default `~/.aws/config`,
///    sections `[profile NAME]`), for the profile `AWS_PROFILE` (default `default`);
/// 3. the EC2 instance metadata service, version 2 (a session token from
///    `PUT /latest/api/token`, then the instance role's credentials).
///
/// Temporary credentials are refreshed five minutes before they expire.
public enum CredentialChain {
    /// An explicit choice of source, for configuration.
    public enum Source: Hashable, Sendable {
        /// The chain above.
        case chain(profile: String?)
        /// Fixed keys (tests, private endpoints).
        case fixed(AWSCredentials)
    }

    /// Credentials from the environment, or nil when it has none.
    static func fromEnvironment(_ environment: [String: String]) -> AWSCredentials? {
        guard let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty,
              let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else { return nil }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token)
    }

    /// Credentials of `profile` from the shared files, or nil.
    static func fromSharedFiles(profile: String, environment: [String: String]) -> AWSCredentials? {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "\(home)/.aws/credentials"
        let configPath = environment["AWS_CONFIG_FILE"] ?? "\(home)/.aws/config"
        let fromCredentials = (try? String(contentsOfFile: credentialsPath, encoding: .utf8))
            .flatMap { parseINI($0)[profile] }
        let configSection = profile == "default" ? "default" : "profile \(profile)"
        let fromConfig = (try? String(contentsOfFile: configPath, encoding: .utf8)).flatMap { parseINI($0)[configSection] }
        for section in [fromCredentials, fromConfig].compactMap({ $0 }) {
            if let key = section["aws_access_key_id"], let secret = section["aws_secret_access_key"] {
                return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: section["aws_session_token"])
            }
        }
        return nil
    }

    /// The region of `profile` in the config file, or nil.
    static func regionFromConfig(profile: String, environment: [String: String]) -> String? {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let configPath = environment["AWS_CONFIG_FILE"] ?? "\(home)/.aws/config"
        let section = profile == "default" ? "default" : "profile \(profile)"
        return (try? String(contentsOfFile: configPath, encoding: .utf8)).flatMap { parseINI($0)[section]?["region"] }
    }

    /// Sections of an INI file: `[name]` then `key = value` lines; `#` and `;` comments.
    static func parseINI(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if let current, sections[current] == nil { sections[current] = [:] }
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current]?[key] = value
        }
        return sections
    }

    /// Credentials of the instance role from IMDSv2 at `endpoint`
    /// (`http://169.254.169.254` unless `AWS_EC2_METADATA_SERVICE_ENDPOINT` says otherwise).
    static func fromInstanceMetadata(endpoint: String, client: HTTPClient) async throws -> AWSCredentials {
        func call(_ method: HTTPMethod, _ path: String, headers: [(String, String)]) async throws -> String {
            var request = HTTPClientRequest(url: endpoint + path)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            let response = try await client.execute(request, timeout: .seconds(2))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else {
                throw SessionError(.unavailable, "the instance metadata service answered \(response.status.code) to \(path)")
            }
            return String(buffer: body)
        }
        let token = try await call(.PUT, "/latest/api/token", headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")])
        let tokenHeader = [("X-aws-ec2-metadata-token", token)]
        let roles = try await call(.GET, "/latest/meta-data/iam/security-credentials/", headers: tokenHeader)
        guard let role = roles.split(whereSeparator: \.isNewline).first.map(String.init) else {
            throw SessionError(.unauthenticated, "the instance has no IAM role: attach an instance profile or configure keys")
        }
        let document = try await call(.GET, "/latest/meta-data/iam/security-credentials/\(role)", headers: tokenHeader)
        guard let object = try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any],
              let key = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String else {
            throw SessionError(.unauthenticated, "the instance metadata service gave no credentials for role '\(role)'")
        }
        let expiration = (object["Expiration"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
        return AWSCredentials(
            accessKeyID: key, secretAccessKey: secret, sessionToken: object["Token"] as? String,
            expiration: expiration?.timeIntervalSince1970)
    }
}
