import Foundation
import LocalBackend
@testable import SessionGateway
import SessionSDK
import SessionTestSupport
import Testing

/// Making sessions and waiting for them.
extension GatewayHarness {
    /// A spec on the `local` environment with a 1 GiB home.
    func spec(
        preset: String = "notebook", image: String = "python3", podSize: String = "",
        environment: [SessionSpec.EnvironmentVariable] = [], dataLinks: [String] = [], labels: [String: String] = [:],
        homeBytes: Int64 = 1 << 30
    ) -> SessionSpec {
        SessionSpec(
            preset: preset, image: image, podSize: podSize, computeEnvironment: "local", environment: environment,
            homeVolume: .new(sizeBytes: homeBytes), dataLinks: dataLinks, labels: labels)
    }

    /// Creates a session through the controller.
    func create(
        _ name: String, spec: SessionSpec? = nil, workspace: WorkspaceID = .default
    ) async throws -> Session {
        try await controller.createSession(workspace: workspace, name: name, owner: "ada", spec: spec ?? self.spec())
    }

    /// Creates a session and drives the reconciler until it is RUNNING.
    func createRunning(
        _ name: String, spec: SessionSpec? = nil, workspace: WorkspaceID = .default,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Session {
        let created = try await create(name, spec: spec, workspace: workspace)
        return try await converge(created.id, workspace: workspace, to: [.running], sourceLocation: sourceLocation)
    }

    /// Runs full reconciliation passes until the stored session is in one of `states`.
    ///
    /// - Throws: ``HarnessTimeout`` (after recording an issue) when it is not in time.
    @discardableResult
    func converge(
        _ id: SessionID, workspace: WorkspaceID = .default, to states: Set<SessionState>,
        timeout: Duration = .seconds(45), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Session {
        try await poll(id, workspace: workspace, until: states, timeout: timeout, sourceLocation: sourceLocation) {
            await self.reconciler.fullPass()
        }
    }

    /// Waits, without driving anything, until the stored session is in one of `states`
    /// (for tests where the reconciler runs in the background).
    @discardableResult
    func waitUntil(
        _ id: SessionID, workspace: WorkspaceID = .default, is states: Set<SessionState>,
        timeout: Duration = .seconds(45), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Session {
        try await poll(id, workspace: workspace, until: states, timeout: timeout, sourceLocation: sourceLocation) {}
    }

    private func poll(
        _ id: SessionID, workspace: WorkspaceID, until states: Set<SessionState>, timeout: Duration,
        sourceLocation: SourceLocation, step: () async -> Void
    ) async throws -> Session {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            await step()
            let session = try await store.session(id: id, workspace: workspace)
            if states.contains(session.state) { return session }
            guard clock.now < deadline else {
                Issue.record(
                    "session '\(session.name)' stayed \(session.state) (\(session.stateReason)); expected \(states.map(\.rawValue).sorted())",
                    sourceLocation: sourceLocation)
                throw HarnessTimeout()
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    /// Runs `body` while ``Reconciler/run()`` runs in a child task, cancelled after.
    func withReconcilerRunning<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.reconciler.run() }
            do {
                let result = try await body()
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// Records a data-link from a location written as a user writes it.
    func createDataLink(_ name: String?, at location: String) async throws -> DataLink {
        try await store.createDataLink(
            workspace: .default, name: name, location: try DataLinkRules.parseLocation(location))
    }

    /// Polls `condition` every 25 ms until it holds; records an issue and throws
    /// ``HarnessTimeout`` when it does not within `timeout`.
    func eventually(
        _ what: @autoclosure () -> String, timeout: Duration = .seconds(30),
        sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool
    ) async throws {
        guard try await SessionTestSupport.eventually(timeout: timeout, interval: .milliseconds(25), condition) else {
            Issue.record("timed out waiting until \(what())", sourceLocation: sourceLocation)
            throw HarnessTimeout()
        }
    }
}

/// Thrown after a wait ran out of time (the issue is recorded where it was waited for).
struct HarnessTimeout: Error {}
