import Foundation
import Glibc
@testable import LocalBackend
import Logging
import SessionSDK
import Testing

/// A Local provider on a fresh temporary root and bucket directory. ``run(_:_:)``
/// deletes every session it made (killing their processes) and removes the
/// directories, also when the test fails.
struct LocalSandbox: Sendable {
    /// The temporary directory holding everything.
    let directory: String
    /// The provider under test.
    let provider: LocalProvider

    var configuration: LocalProvider.Configuration { provider.configuration }
    var buckets: String { configuration.bucketsDirectory }
    var root: String { configuration.rootDirectory }

    /// Runs `body` with a sandbox and cleans up afterwards.
    static func run<Result>(
        gracePeriod: Duration = .seconds(2), readinessTimeout: Duration = .seconds(60), growingHomes: Bool = false,
        _ body: (LocalSandbox) async throws -> Result
    ) async throws -> Result {
        let directory = "/tmp/local-backend-tests-\(UUID().uuidString.lowercased())"
        try FileManager.default.createDirectory(atPath: "\(directory)/data/buckets", withIntermediateDirectories: true)
        var configuration = LocalProvider.Configuration.defaults(dataDirectory: "\(directory)/data")
        configuration.gracePeriod = gracePeriod
        configuration.readinessTimeout = readinessTimeout
        configuration.executeTimeout = .seconds(30)
        configuration.fileLinkRoots = ["\(directory)/cluster"]  // file:// links only here
        configuration.growingHomes = growingHomes
        let sandbox = LocalSandbox(directory: directory, provider: LocalSandbox.provider(configuration))
        do {
            let result = try await body(sandbox)
            await sandbox.tearDown()
            return result
        } catch {
            await sandbox.tearDown()
            throw error
        }
    }

    /// A new provider instance on the same directories, as after a gateway restart.
    func restartedProvider() -> LocalProvider { Self.provider(configuration) }

    private static func provider(_ configuration: LocalProvider.Configuration) -> LocalProvider {
        LocalProvider(configuration: configuration, logger: Logger(label: "local-backend-tests") { _ in SwiftLogNoOpLogHandler() })
    }

    /// Deletes every session, kills what a session still runs, removes the files.
    func tearDown() async {
        for status in (try? await provider.listSessions()) ?? [] {
            try? await provider.deleteSession(status.handle)
        }
        let sessions = provider.layout.sessionsDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: sessions)) ?? [] {
            // Only while the id still names the recorded leader: ids are reused, and a
            // blind kill(-pid) could take down an unrelated process group.
            if let data = FileManager.default.contents(atPath: "\(sessions)/\(name)/state.json"),
               let record = try? JSONDecoder().decode(SessionRecord.self, from: data),
               let pid = record.pid, pid > 1, let ticks = record.pidStartTicks,
               ProcessTable.entry(pid: pid)?.startTicks == ticks {
                kill(-pid, SIGKILL)
            }
        }
        // Growing homes a failed test left mounted: their loop devices must go too.
        if let mounts = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) {
            for point in mounts.split(separator: "\n").compactMap({ $0.split(separator: " ").dropFirst(4).first })
            where point.hasPrefix(directory + "/") {
                _ = try? await ChildProcess.run("/usr/bin/umount", ["-l", String(point)], environment: [:], scratchDirectory: "/tmp", timeout: .seconds(10))
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Requests

    /// A command that serves `/workspace` over HTTP on `$SESSION_PORT`, after
    /// running `prelude` (shell) first.
    static func server(after prelude: String = ":") -> [String] {
        ["/bin/sh", "-c", "\(prelude); exec /usr/bin/python3 -m http.server \"$SESSION_PORT\" --bind 127.0.0.1"]
    }

    /// A session request with a unique id.
    func request(
        _ name: String = "s", command: [String] = LocalSandbox.server(), environment: [String: String] = [:],
        homeVolume: SessionSpec.HomeVolume = .new(sizeBytes: 1 << 30), dataLinks: [DataLinkMount] = [],
        restoreFrom: Checkpoint? = nil
    ) -> ProviderSessionRequest {
        ProviderSessionRequest(
            sessionID: SessionID(rawValue: "\(name)-\(UUID().uuidString.prefix(8).lowercased())"), workspace: .default,
            name: name, ideKind: .terminal, image: "local", command: command,
            resources: Resources(cpuMillis: 1000, memoryBytes: 1 << 30), environment: environment,
            homeVolume: homeVolume, dataLinks: dataLinks, restoreFrom: restoreFrom)
    }

    /// A data-link mount for `s3://bucket/prefix` (or `file:///prefix` with an empty
    /// bucket) at `/workspace/data/<name>`.
    static func link(_ name: String, scheme: DataLinkLocation.Scheme = .s3, bucket: String, prefix: String, readOnly: Bool) -> DataLinkMount {
        DataLinkMount(
            dataLink: DataLink(id: "dl-\(name)", workspace: .default, name: name,
                               location: DataLinkLocation(scheme: scheme, bucket: bucket, prefix: prefix)),
            mountPath: DataLinkRules.mountPath(forName: name), readOnly: readOnly)
    }

    // MARK: Files

    /// Creates a directory (and parents) and optionally a file in it.
    func makeDirectory(_ path: String, file: String? = nil, contents: String = "") throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if let file { try contents.write(toFile: "\(path)/\(file)", atomically: true, encoding: .utf8) }
    }

    /// The session's record as stored.
    func record(_ handle: SessionHandle) throws -> SessionRecord {
        try SessionRecord.load(from: provider.layout.session(handle.rawValue).state)
    }

    // MARK: Waiting

    /// Polls `describeSession` until the state is one of `states`.
    @discardableResult
    func waitFor(
        _ states: Set<SessionState>, _ handle: SessionHandle, on provider: LocalProvider? = nil,
        timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ProviderSessionStatus {
        let provider = provider ?? self.provider
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var last = try await provider.describeSession(handle)
        while !states.contains(last.state) {
            guard clock.now < deadline else {
                Issue.record("session stayed \(last.state) (\(last.reason)), expected \(states)", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
            last = try await provider.describeSession(handle)
        }
        return last
    }
}

/// The code of the `SessionError` that `body` throws, or nil when it throws none.
func errorCode(_ body: () async throws -> Void) async -> SessionError.Code? {
    do {
        try await body()
        return nil
    } catch let error as SessionError {
        return error.code
    } catch {
        Issue.record("expected a SessionError, got \(error)")
        return nil
    }
}

/// The port of a connection URL `http://127.0.0.1:PORT/?token=...`.
func connectionPort(_ connection: Session.Connection?) -> Int? {
    guard let url = connection?.url, let components = URLComponents(string: url) else { return nil }
    return components.port
}
