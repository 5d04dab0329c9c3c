import Foundation
import Logging
import SessionSDK

/// What a running case works with: the provider, the configuration, the capabilities
/// the suite read once at the start, and a tracker that records every resource the
/// case makes. Its helpers turn unexpected answers into ``CaseFailure``s that say what
/// the suite was doing.
final class CaseContext: Sendable {
    /// The case.
    let testCase: ConformanceCase
    /// The configuration.
    let configuration: ConformanceSuite.Configuration
    /// The capabilities reported at the start of the run.
    let capabilities: Set<ProviderCapability>
    /// Resources to remove after the case.
    let tracker: ResourceTracker
    /// The case's logger, with `conformance.case` metadata.
    let logger: Logger

    init(
        testCase: ConformanceCase, configuration: ConformanceSuite.Configuration, capabilities: Set<ProviderCapability>,
        tracker: ResourceTracker
    ) {
        self.testCase = testCase
        self.configuration = configuration
        self.capabilities = capabilities
        self.tracker = tracker
        var logger = configuration.logger
        logger[metadataKey: "conformance.case"] = "\(testCase.id)"
        self.logger = logger
    }

    /// The provider under test.
    var provider: any SessionProvider { configuration.provider }
    /// N, at least 2.
    var repetitions: Int { max(2, configuration.repetitions) }
    /// The timeouts.
    var timeouts: ConformanceSuite.Timeouts { configuration.timeouts }
    /// The data-links; only for cases that need them.
    var dataLinks: ConformanceDataLinks {
        get throws(CaseSkip) {
            guard let links = configuration.dataLinks else { throw CaseSkip(ConformanceCase.ConfigurationNeed.dataLinks.skipReason) }
            return links
        }
    }

    // MARK: Requests and sessions

    /// A new id `PREFIX-LABEL-XXXXXXXX` that no other session has.
    func newID(_ label: String) -> String {
        let random = String(UInt32.random(in: .min ... .max), radix: 16)
        return "\(configuration.idPrefix)-\(label)-\(String(repeating: "0", count: 8 - random.count))\(random)"
    }

    /// The author's request for a new session id, with the data-links mounted when
    /// `withDataLinks` is true.
    func request(_ label: String, withDataLinks: Bool = false) throws(CaseSkip) -> ProviderSessionRequest {
        let id = SessionID(rawValue: newID(label))
        var request = configuration.makeRequest(id)
        request.sessionID = id
        if withDataLinks { request.dataLinks = try dataLinks.mounts }
        return request
    }

    /// Creates a session, tracking it (also when create fails half-way).
    ///
    /// - Throws: a ``CaseFailure`` naming the error when create fails.
    @discardableResult
    func create(_ request: ProviderSessionRequest, on provider: (any SessionProvider)? = nil) async throws -> ProviderSessionStatus {
        do {
            return try await attemptCreate(request, on: provider)
        } catch let error as SessionError {
            throw CaseFailure("creating session '\(request.sessionID)' threw \(error)")
        }
    }

    /// Creates a session, tracking it, and throws what the provider throws.
    @discardableResult
    func attemptCreate(_ request: ProviderSessionRequest, on provider: (any SessionProvider)? = nil) async throws -> ProviderSessionStatus {
        tracker.expect(request.sessionID)
        let status = try await (provider ?? self.provider).createSession(request)
        tracker.record(status.handle, for: request.sessionID)
        return status
    }

    /// Creates a session from the author's template and waits until it is RUNNING.
    func createRunning(
        _ label: String, withDataLinks: Bool = false
    ) async throws -> (request: ProviderSessionRequest, status: ProviderSessionStatus) {
        let request = try request(label, withDataLinks: withDataLinks)
        let created = try await create(request)
        return (request, try await waitFor([.running], created.handle, timeout: timeouts.running))
    }

    /// Describes the session until its state is one of `states`.
    ///
    /// - Throws: a ``CaseFailure`` when it becomes FAILED (unless that is expected) or
    ///   stays elsewhere past `timeout`, or when describe throws.
    @discardableResult
    func waitFor(
        _ states: Set<SessionState>, _ handle: SessionHandle, timeout: Duration? = nil, on provider: (any SessionProvider)? = nil
    ) async throws -> ProviderSessionStatus {
        let provider = provider ?? self.provider
        let limit = timeout ?? timeouts.running
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        let wanted = states.map(\.rawValue).sorted().joined(separator: " or ")
        while true {
            let status: ProviderSessionStatus
            do {
                status = try await provider.describeSession(handle)
            } catch let error as SessionError {
                throw CaseFailure("describing session '\(handle)' while waiting for \(wanted) threw \(error)")
            }
            if states.contains(status.state) { return status }
            if status.state == .failed || status.state == .buildFailed {
                throw CaseFailure("session '\(handle)' became \(status.state) while waiting for \(wanted): \(status.reason)")
            }
            guard clock.now < deadline else {
                throw CaseFailure("session '\(handle)' stayed \(status.state) (\(status.reason)) for \(limit); expected \(wanted)")
            }
            try await Task.sleep(for: timeouts.pollInterval)
        }
    }

    /// The distinct handles `listSessions` reports for `id`.
    func listedHandles(for id: SessionID, on provider: (any SessionProvider)? = nil) async throws -> Set<SessionHandle> {
        Set(try await list(on: provider).filter { $0.sessionID == id }.map(\.handle))
    }

    /// `listSessions`.
    ///
    /// - Throws: a ``CaseFailure`` naming the error.
    func list(on provider: (any SessionProvider)? = nil) async throws -> [ProviderSessionStatus] {
        do {
            return try await (provider ?? self.provider).listSessions()
        } catch let error as SessionError {
            throw CaseFailure("listSessions threw \(error)")
        }
    }

    /// The endpoint of a RUNNING session's connection.
    ///
    /// - Throws: a ``CaseFailure`` when it has no connection or an unusable URL.
    func endpoint(of status: ProviderSessionStatus) throws(CaseFailure) -> Endpoint {
        guard let connection = status.connection else {
            throw CaseFailure("session '\(status.handle)' is \(status.state) without connection info")
        }
        guard let endpoint = Endpoint(url: connection.url) else {
            throw CaseFailure("session '\(status.handle)' has the connection URL '\(connection.url.prefix(200))', which names no host and port")
        }
        return endpoint
    }

    // MARK: Commands

    /// Runs `script` with `sh -c` in the session. `UNAVAILABLE` is a provider saying
    /// "retry" (a stream to the backend dropped before the command's status came), and
    /// the kit's scripts are idempotent, so such a failure is retried twice, half a
    /// second apart, before it fails the case.
    ///
    /// - Throws: a ``CaseFailure`` when execute throws anything else, or `UNAVAILABLE`
    ///   three times.
    func run(_ script: String, in handle: SessionHandle, on provider: (any SessionProvider)? = nil) async throws -> ExecutionResult {
        var attempt = 1
        while true {
            do {
                return try await (provider ?? self.provider).execute(["sh", "-c", script], in: handle)
            } catch let error as SessionError where error.code == .unavailable && attempt < 3 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(500))
            } catch let error as SessionError {
                throw CaseFailure("executing `\(script)` in session '\(handle)' threw \(error)")
            }
        }
    }

    /// Runs `script` and requires it to exit 0.
    ///
    /// - Returns: its standard output.
    @discardableResult
    func runSucceeding(_ script: String, in handle: SessionHandle) async throws -> String {
        let result = try await run(script, in: handle)
        guard result.exitCode == 0 else {
            throw CaseFailure(
                "`\(script)` in session '\(handle)' exited with \(result.exitCode): \(result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))")
        }
        return result.output
    }

    // MARK: Checkpoints

    /// A checkpoint record of the session with a new id, not yet taken.
    func checkpoint(of session: SessionID, _ label: String) -> Checkpoint {
        let id = newID(label)
        return Checkpoint(
            id: CheckpointID(rawValue: id), session: session, name: id, trigger: .periodic, sizeBytes: 0,
            location: "", createdAt: Date().timeIntervalSince1970)
    }

    /// Takes a checkpoint, tracking it.
    ///
    /// - Throws: a ``CaseFailure`` naming the error.
    func takeCheckpoint(_ checkpoint: Checkpoint, of handle: SessionHandle) async throws -> Checkpoint {
        tracker.record(checkpoint)
        do {
            let taken = try await provider.createCheckpoint(handle, checkpoint: checkpoint)
            tracker.record(taken)
            return taken
        } catch let error as SessionError {
            throw CaseFailure("createCheckpoint '\(checkpoint.id)' of session '\(handle)' threw \(error)")
        }
    }

    // MARK: Expectations

    /// Requires `condition`; otherwise fails with `detail`.
    func expect(_ condition: Bool, _ detail: @autoclosure () -> String) throws(CaseFailure) {
        guard condition else { throw CaseFailure(detail()) }
    }

    /// Requires `body` to throw a ``SessionError`` with one of `codes`.
    ///
    /// - Parameter what: the call, for messages, such as "describing an unknown handle".
    /// - Returns: the error.
    @discardableResult
    func expectError(
        _ codes: Set<SessionError.Code>, _ what: String, _ body: () async throws -> Void
    ) async throws -> SessionError {
        let wanted = codes.map(\.description).sorted().joined(separator: " or ")
        do {
            try await body()
        } catch let error as SessionError {
            guard codes.contains(error.code) else {
                throw CaseFailure("\(what) threw \(error.code) (\(error.message.prefix(300))); expected \(wanted)")
            }
            return error
        } catch let failure as CaseFailure {
            throw failure
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw CaseFailure("\(what) threw \(error), not a SessionError; expected \(wanted)")
        }
        throw CaseFailure("\(what) succeeded; expected \(wanted)")
    }

    /// Calls `body`, turning a ``SessionError`` into a ``CaseFailure`` that says what
    /// the suite was doing.
    func step<Result>(_ what: String, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as SessionError {
            throw CaseFailure("\(what) threw \(error)")
        }
    }

    /// Polls `condition` until it holds or `timeout` passes.
    ///
    /// - Returns: whether it held.
    func eventually(within timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if try await condition() { return true }
            guard clock.now < deadline else { return false }
            try await Task.sleep(for: timeouts.pollInterval)
        }
    }
}
