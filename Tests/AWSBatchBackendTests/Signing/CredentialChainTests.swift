@testable import AWSBatchBackend
import Foundation
import Testing

/// The credential chain's environment and shared-file sources, on temporary files.
@Suite("Credential chain: environment and shared files")
struct CredentialChainTests {
    /// A directory with a credentials file and a config file, removed afterwards.
    static func withFiles(credentials: String, config: String, _ body: ([String: String]) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sgw-aws-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try credentials.write(toFile: "\(directory)/credentials", atomically: true, encoding: .utf8)
        try config.write(toFile: "\(directory)/config", atomically: true, encoding: .utf8)
        try body([
            "HOME": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "\(directory)/credentials", "AWS_CONFIG_FILE": "\(directory)/config",
        ])
    }

    static let credentials = """
        # keys
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = secret-default

        [dev]
        aws_access_key_id=AKIDDEV
          aws_secret_access_key =  secret-dev  
        aws_session_token = token-dev
        ; a comment
        [only-key]
        aws_access_key_id = AKIDHALF
        """

    static let config = """
        [default]
        region = eu-west-1

        [profile dev]
        region = us-east-2
        aws_access_key_id = AKIDCONFIGDEV
        aws_secret_access_key = secret-config-dev

        [profile ops]
        region = ap-south-1
        aws_access_key_id = AKIDOPS
        aws_secret_access_key = secret-ops

        [dev]
        region = never-read
        """

    @Test("the default profile comes from the credentials file")
    func defaultProfile() throws {
        try Self.withFiles(credentials: Self.credentials, config: Self.config) { environment in
            let found = CredentialChain.fromSharedFiles(profile: "default", environment: environment)
            #expect(found == AWSCredentials(accessKeyID: "AKIDDEFAULT", secretAccessKey: "secret-default"))
            #expect(CredentialChain.regionFromConfig(profile: "default", environment: environment) == "eu-west-1")
        }
    }

    @Test("a named profile: the credentials file wins over the config file, with spaces trimmed and its session token")
    func namedProfile() throws {
        try Self.withFiles(credentials: Self.credentials, config: Self.config) { environment in
            let found = CredentialChain.fromSharedFiles(profile: "dev", environment: environment)
            #expect(found == AWSCredentials(accessKeyID: "AKIDDEV", secretAccessKey: "secret-dev", sessionToken: "token-dev"))
            // The config file's section is `[profile dev]`, not `[dev]`.
            #expect(CredentialChain.regionFromConfig(profile: "dev", environment: environment) == "us-east-2")
        }
    }

    @Test("a profile only in the config file, a half profile and a missing one")
    func otherProfiles() throws {
        try Self.withFiles(credentials: Self.credentials, config: Self.config) { environment in
            #expect(CredentialChain.fromSharedFiles(profile: "ops", environment: environment)
                == AWSCredentials(accessKeyID: "AKIDOPS", secretAccessKey: "secret-ops"))
            #expect(CredentialChain.fromSharedFiles(profile: "only-key", environment: environment) == nil)
            #expect(CredentialChain.fromSharedFiles(profile: "absent", environment: environment) == nil)
            #expect(CredentialChain.regionFromConfig(profile: "absent", environment: environment) == nil)
        }
    }

    @Test("missing files give nothing")
    func missingFiles() {
        let environment = ["HOME": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/c", "AWS_CONFIG_FILE": "/nonexistent/f"]
        #expect(CredentialChain.fromSharedFiles(profile: "default", environment: environment) == nil)
        #expect(CredentialChain.regionFromConfig(profile: "default", environment: environment) == nil)
    }

    @Test("environment keys need both the key and the secret; an empty token is none")
    func environmentKeys() {
        #expect(CredentialChain.fromEnvironment(["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": ""])
            == AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s"))
        #expect(CredentialChain.fromEnvironment(["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": ""]) == nil)
        #expect(CredentialChain.fromEnvironment(["AWS_SECRET_ACCESS_KEY": "s"]) == nil)
    }

    @Test("the settings' region falls back to the profile's region in the config file")
    func regionFallback() throws {
        try Self.withFiles(credentials: Self.credentials, config: Self.config) { environment in
            let settings = [
                "profile": "ops", "jobQueue": "q", "fileSystemId": "fs-1", "homeMountPath": "/workspace", "checkpointBucket": "b",
            ]
            let configuration = try AWSBatchProvider.Configuration(settings: settings, environment: environment)
            #expect(configuration.region == "ap-south-1")
            #expect(configuration.credentials == .chain(profile: "ops"))
        }
    }
}
