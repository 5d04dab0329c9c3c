import Foundation
import Glibc
@testable import LocalBackend
import Logging
import RPCTransport
import ProviderPlugin
import SessionGateway
import SessionSDK
import Testing

/// A real ``LocalProvider`` on a fresh temporary directory, served out of process
/// style: ``ProviderService`` on an ``RPCServer`` bound to a Unix socket, and a
/// ``RemoteProvider`` connected to that socket.
///
/// ``run(_:)`` deletes every session the Local provider has (killing their
/// processes), closes the client, stops the server and removes the directory
/// afterwards, also when the test fails.
///
/// ```swift
/// try await RemoteLocalFixture.run { fixture in
///     let status = try await fixture.remote.createSession(fixture.request("train"))
/// }
/// ```
struct RemoteLocalFixture: Sendable {
    /// The temporary directory holding everything.
    let directory: String
    /// The provider behind the server, for comparing and for clean-up.
    let local: LocalProvider
    /// The server and its address.
    let server: ProviderTestServer
    /// The client under test.
    let remote: RemoteProvider

    /// Runs `body` with a fixture and cleans up afterwards.
    static func run<Result: Sendable>(_ body: (RemoteLocalFixture) async throws -> Result) async throws -> Result {
        let directory = "/tmp/sgw-remote-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = LocalProvider.Configuration.defaults(dataDirectory: "\(directory)/data")
        configuration.gracePeriod = .seconds(1)
        configuration.readinessTimeout = .seconds(60)
        configuration.executeTimeout = .seconds(30)
        let local = LocalProvider(
            configuration: configuration, logger: Logger(label: "remote-tests", factory: { _ in SwiftLogNoOpLogHandler() }))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            try FileManager.default.createDirectory(atPath: "\(directory)/data/buckets", withIntermediateDirectories: true)
            return try await ProviderTestServer.serving(local, listener: .unixDomainSocket(path: "\(directory)/provider.sock")) {
                server in
                let remote = try await RemoteProvider.connect(address: server.address)
                let fixture = RemoteLocalFixture(directory: directory, local: local, server: server, remote: remote)
                do {
                    let result = try await body(fixture)
                    await fixture.tearDown()
                    return result
                } catch {
                    await fixture.tearDown()
                    throw error
                }
            }
        } catch {
            await Self.deleteSessions(of: local)
            throw error
        }
    }

    /// Closes the client and deletes every Local session.
    private func tearDown() async {
        await remote.close()
        await Self.deleteSessions(of: local)
    }

    /// Deletes every session through the provider itself (not over the socket, which
    /// a test may have stopped), then kills what a session still runs.
    private static func deleteSessions(of local: LocalProvider) async {
        for status in (try? await local.listSessions()) ?? [] {
            try? await local.deleteSession(status.handle)
        }
        let sessions = local.layout.sessionsDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: sessions)) ?? [] {
            if let pid = BackendInspection.recordedLeader(sessionDirectory: "\(sessions)/\(name)") { kill(-pid, SIGKILL) }
        }
    }

    // MARK: Requests

    /// A request for a session whose command serves `/workspace` over HTTP on
    /// `$SESSION_PORT`, with a unique id.
    func request(_ name: String, gpus: Int = 0, restoreFrom: Checkpoint? = nil) -> ProviderSessionRequest {
        ProviderSessionRequest(
            sessionID: SessionID(rawValue: "\(name)-\(UUID().uuidString.prefix(8).lowercased())"), workspace: .default,
            name: name, ideKind: .terminal, image: "local",
            command: ["/bin/sh", "-c", "exec /usr/bin/python3 -m http.server \"$SESSION_PORT\" --bind 127.0.0.1"],
            resources: Resources(cpuMillis: 1000, memoryBytes: 1 << 30, gpus: gpus),
            homeVolume: .new(sizeBytes: 1 << 30), restoreFrom: restoreFrom)
    }

    // MARK: Waiting

    /// Describes the session over the wire until its state is one of `states`.
    @discardableResult
    func waitFor(
        _ states: Set<SessionState>, _ handle: SessionHandle, timeout: Duration = .seconds(45),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ProviderSessionStatus {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var last = try await remote.describeSession(handle)
        while !states.contains(last.state) {
            guard clock.now < deadline else {
                Issue.record("session stayed \(last.state) (\(last.reason)); expected \(states)", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
            last = try await remote.describeSession(handle)
        }
        return last
    }

    /// Creates a session over the wire and waits until it is RUNNING.
    func createRunning(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ProviderSessionStatus {
        let created = try await remote.createSession(request(name))
        return try await waitFor([.running], created.handle, sourceLocation: sourceLocation)
    }
}
