import Foundation
import Glibc
@testable import LocalBackend
import Logging
import SessionConformance
import SessionSDK

/// A real ``LocalProvider`` on a fresh temporary directory with the buckets the
/// conformance data-link cases mount, and the suite configuration for it.
///
/// Buckets: `reference-data/genomes` (read-only: not on the writable list) and
/// `team-scratch/projects/a` (writable), with `secret.txt` beside `a` in
/// `team-scratch/projects`, the entry that must not be reachable through the link.
///
/// ``run(_:)`` deletes every session left on the directory (also ones a broken
/// provider failed to delete), kills what their pid files name, and removes the
/// directory, also when the body throws.
struct LocalConformanceFixture: Sendable {
    /// The temporary directory.
    let directory: String
    /// The Local configuration every instance on the directory uses.
    let localConfiguration: LocalProvider.Configuration
    /// The provider under test (a fresh instance per fixture).
    let provider: LocalProvider

    /// Runs `body` with a fixture and cleans up afterwards.
    static func run<Result: Sendable>(_ body: (LocalConformanceFixture) async throws -> Result) async throws -> Result {
        let directory = "/tmp/conformance-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = LocalProvider.Configuration.defaults(dataDirectory: "\(directory)/data")
        configuration.gracePeriod = .seconds(2)
        configuration.readinessTimeout = .seconds(60)
        configuration.executeTimeout = .seconds(30)
        let fixture = LocalConformanceFixture(
            directory: directory, localConfiguration: configuration, provider: Self.makeProvider(configuration))
        do {
            try fixture.makeBuckets()
            let result = try await body(fixture)
            await fixture.tearDown()
            return result
        } catch {
            await fixture.tearDown()
            throw error
        }
    }

    /// A new Local instance on the same directories, as after a restart.
    func restartedProvider() -> LocalProvider { Self.makeProvider(localConfiguration) }

    private static func makeProvider(_ configuration: LocalProvider.Configuration) -> LocalProvider {
        LocalProvider(configuration: configuration, logger: Logger(label: "conformance-tests") { _ in SwiftLogNoOpLogHandler() })
    }

    // MARK: Configuration

    /// The compute environment: only `team-scratch` is writable.
    static let environment = ComputeEnvironment(id: "local-ce", backend: "local", writableBuckets: ["team-scratch"])

    /// A request whose command serves `/workspace` over HTTP on `$SESSION_PORT`.
    static func request(_ id: SessionID) -> ProviderSessionRequest {
        ProviderSessionRequest(
            sessionID: id, workspace: .default, name: id.rawValue, ideKind: .terminal, image: "local",
            command: ["/bin/sh", "-c", "exec /usr/bin/python3 -m http.server \"$SESSION_PORT\" --bind 127.0.0.1"],
            resources: Resources(cpuMillis: 500, memoryBytes: 256 << 20), homeVolume: .new(sizeBytes: 1 << 30))
    }

    /// The two conformance data-links, access decided by ``environment``.
    static func dataLinks() throws -> ConformanceDataLinks {
        try ConformanceDataLinks(
            writable: DataLink(
                id: "dl-scratch", workspace: .default, name: "scratch",
                location: try DataLinkRules.parseLocation("s3://team-scratch/projects/a")),
            readOnly: DataLink(
                id: "dl-genomes", workspace: .default, name: "genomes",
                location: try DataLinkRules.parseLocation("s3://reference-data/genomes")),
            in: environment, outsideEntry: "secret.txt")
    }

    /// The suite configuration for `provider` (by default the fixture's own), with
    /// every optional field the Local backend can use: data-links, a request naming a
    /// missing home volume, and a restart factory making `restarted` instances.
    func configuration(
        provider: (any SessionProvider)? = nil,
        restarted: (@Sendable (LocalProvider) -> any SessionProvider)? = nil
    ) throws -> ConformanceSuite.Configuration {
        var configuration = ConformanceSuite.Configuration(provider: provider ?? self.provider, makeRequest: Self.request)
        configuration.dataLinks = try Self.dataLinks()
        configuration.overQuotaRequest = { id in
            var request = Self.request(id)
            request.resources.cpuMillis = 100_000_000  // more CPUs than the machine has
            return request
        }
        configuration.missingReferenceRequest = { id in
            var request = Self.request(id)
            request.homeVolume = .existing("no-such-volume")
            return request
        }
        let local = localConfiguration
        configuration.restart = ProviderRestart {
            let instance = Self.makeProvider(local)
            return restarted?(instance) ?? instance
        }
        configuration.timeouts.running = .seconds(60)
        configuration.timeouts.paused = .seconds(30)
        configuration.timeouts.endpoint = .seconds(3)
        configuration.timeouts.probe = .seconds(3)
        configuration.timeouts.watchEvent = .seconds(10)
        configuration.timeouts.testCase = .seconds(120)
        configuration.repetitions = 3
        return configuration
    }

    // MARK: Files

    private func makeBuckets() throws {
        let buckets = localConfiguration.bucketsDirectory
        try Self.write("ACGT", to: "\(buckets)/reference-data/genomes/hg38.txt")
        try Self.write("input", to: "\(buckets)/team-scratch/projects/a/input.txt")
        try Self.write("do not read", to: "\(buckets)/team-scratch/projects/secret.txt")
    }

    private static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// What the conformance runs wrote into the writable bucket and did not remove.
    func strayBucketFiles() -> [String] {
        let root = "\(localConfiguration.bucketsDirectory)/team-scratch/projects"
        let entries = FileManager.default.enumerator(atPath: root).map { $0.compactMap { $0 as? String } } ?? []
        return entries.filter { $0.contains("conformance") }.sorted()
    }

    /// Deletes every session through a plain Local instance, kills what pid files
    /// still name, removes the directory.
    func tearDown() async {
        let local = restartedProvider()
        for status in (try? await local.listSessions()) ?? [] {
            try? await local.deleteSession(status.handle)
        }
        let sessions = local.layout.sessionsDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: sessions)) ?? [] {
            if let text = try? String(contentsOfFile: "\(sessions)/\(name)/pid", encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 {
                kill(-pid, SIGKILL)
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
