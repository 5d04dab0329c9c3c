import ArgumentParser
import Foundation
import Logging
import ProviderPlugin
import SessionConformance
import SessionGateway
import SessionSDK

/// `sessiongw conformance`: runs the conformance kit against a backend, in process
/// (a compute environment of the configuration) or out of process (a provider
/// plugin's address), and prints the report; exits 1 when a case fails or a resource
/// is left behind.
struct ConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Check that a backend keeps the provider rules, as csi-sanity checks CSI drivers.",
        discussion: """
            --provider names a compute environment of the configuration file (its backend runs in this \
            process, built as the gateway builds it) or is the address of a provider plugin (unix:PATH or \
            HOST:PORT, for example one started with 'sessiongw provider serve'), reached over provider.proto; \
            the plugin then serves the configuration's environment named by --environment (default: the first). \
            The file's 'conformance:' section says which preset to start sessions from and which data-links, \
            missing names and quota to test; without them those cases are skipped, saying why. Every case \
            is listed in the report as passed, failed or skipped, with the reason.
            """)

    @Option(help: "A compute environment id in the configuration, or a provider plugin's address (unix:PATH or HOST:PORT).")
    var provider: String

    @Option(help: "YAML configuration file (the gateway's format, with an optional 'conformance:' section).")
    var config: String

    @Option(help: "The environment a plugin at an address serves (default: the configuration's first).")
    var environment: String?

    @Option(help: "Run only the cases whose GROUP/NAME matches this regular expression.")
    var focus: String?

    @Option(help: "Skip the cases whose GROUP/NAME matches this regular expression.")
    var skip: String?

    @Option(help: "Write a JUnit XML report to this file.")
    var junit: String?

    @Option(help: "Directory for an in-process backend's files (default: a new temporary one, removed afterwards).")
    var dataDir: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "warning"

    func run() async throws {
        try LogOutput.bootstrap(level: logLevel)
        let focus = try focus.map { try Self.regex($0, option: "--focus") }
        let skip = try skip.map { try Self.regex($0, option: "--skip") }
        let scratch = dataDir == nil ? try Self.temporaryDirectory() : nil
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        let text = try ConfigurationFile.text(at: config)
        let configuration = try GatewayConfiguration.load(yaml: text, dataDirectory: dataDir ?? scratch ?? "")
        let plan = try ConformancePlan.load(yaml: text)
        let logger = Logger(label: "sessiongw.conformance")

        let target = try Target(provider, environment: environment, in: configuration)
        let provider = try await target.makeProvider(configuration: configuration, logger: logger)
        var suite = try plan.suiteConfiguration(
            provider: provider, environment: target.entry.environment, presets: configuration.presets, logger: logger)
        suite.restart = ProviderRestart(releaseProvider: Target.release) {
            try await target.makeProvider(configuration: configuration, logger: logger)
        }
        let report = await ConformanceSuite(configuration: suite).run(focus: focus, skip: skip)
        await Target.release(provider)

        print(report.text)
        if let junit {
            try Self.write(report.junitXML(), to: junit)
            print("wrote the JUnit report to \(junit)")
        }
        guard report.succeeded else { throw ExitCode.failure }
    }

    /// In process (an environment of the configuration) or at an address.
    struct Target: Sendable {
        var entry: GatewayConfiguration.Environment
        var address: String?

        init(_ provider: String, environment: String?, in configuration: GatewayConfiguration) throws {
            if let named = configuration.environments.first(where: { $0.environment.id == provider }) {
                entry = named
                address = nil
            } else if provider.hasPrefix("unix:") || provider.contains(":") {
                entry = try ProviderServe.entry(environment, in: configuration)
                address = provider
            } else {
                let known = configuration.environments.map(\.environment.id).joined(separator: ", ")
                throw ValidationError(
                    "'\(provider)' is neither a compute environment of the configuration (\(known)) nor an address (unix:PATH or HOST:PORT)")
            }
        }

        /// A new instance of the provider; one at an address has answered `GetIdentity`.
        func makeProvider(configuration: GatewayConfiguration, logger: Logger) async throws -> any SessionProvider {
            guard let address else {
                return try await Gateway.provider(
                    for: entry, configuration: configuration, backends: BuiltInBackends.factories(logger: logger))
            }
            do {
                return try await RemoteProvider.connect(address: address)
            } catch {
                throw ValidationError("cannot reach a provider at \(address): \(error)")
            }
        }

        /// Closes a remote provider's connection.
        @Sendable static func release(_ provider: any SessionProvider) async {
            await (provider as? RemoteProvider)?.close()
        }
    }

    private static func regex(_ pattern: String, option: String) throws -> Regex<AnyRegexOutput> {
        do {
            return try Regex(pattern)
        } catch {
            throw ValidationError("\(option) '\(pattern)' is not a regular expression: \(error)")
        }
    }

    private static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/sessiongw-conformance-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private static func write(_ text: String, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
