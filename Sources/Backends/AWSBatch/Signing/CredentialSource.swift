import AsyncHTTPClient
import Foundation
import SessionSDK
import Synchronization

/// Resolves credentials once from the ``CredentialChain`` (or fixed keys) and caches
/// them, refreshing temporary credentials five minutes before they expire.
final class CredentialSource: Sendable {
    private let source: CredentialChain.Source
    private let metadataEndpoint: String
    private let http: HTTPClient
    private let cached = Mutex<AWSCredentials?>(nil)

    /// Creates a source.
    init(source: CredentialChain.Source, metadataEndpoint: String, http: HTTPClient) {
        self.source = source
        self.metadataEndpoint = metadataEndpoint
        self.http = http
    }

    /// Credentials valid for at least five more minutes.
    ///
    /// - Throws: `UNAUTHENTICATED` when no source has any.
    func current() async throws -> AWSCredentials {
        let now = Date().timeIntervalSince1970
        if let credentials = cached.withLock({ $0 }), (credentials.expiration ?? .infinity) > now + 300 {
            return credentials
        }
        let resolved = try await resolve()
        cached.withLock { $0 = resolved }
        return resolved
    }

    private func resolve() async throws -> AWSCredentials {
        switch source {
        case .fixed(let credentials):
            return credentials
        case .chain(let profile):
            let environment = ProcessInfo.processInfo.environment
            if profile == nil, let credentials = CredentialChain.fromEnvironment(environment) { return credentials }
            let name = profile ?? environment["AWS_PROFILE"] ?? "default"
            if let credentials = CredentialChain.fromSharedFiles(profile: name, environment: environment) { return credentials }
            do {
                return try await CredentialChain.fromInstanceMetadata(endpoint: metadataEndpoint, client: http)
            } catch {
                throw SessionError(
                    .unauthenticated,
                    "no AWS credentials: none in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, none for profile '\(name)' in the shared files, and the instance metadata service gave none (\(error))",
                    cause: error)
            }
        }
    }
}
