import Foundation
import Logging
@testable import SessionGateway
import SessionSDK
import Testing

/// Stores on temporary files (real WAL, real fsync) or in memory, closed and removed
/// after the test.
enum StoreFixtures {
    static let logger = Logger(label: "sessiongw.store.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A new empty directory under the system's temporary directory.
    static func makeDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("sessiongw-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `body` with a store on a fresh temporary file.
    static func withStore<T>(
        configuration: SessionStore.Configuration = .defaults, _ body: (SessionStore) async throws -> T
    ) async throws -> T {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SessionStore(
            location: .file(directory.appendingPathComponent("store.sqlite").path), configuration: configuration,
            logger: logger)
        defer { try? store.close() }
        return try await body(store)
    }

    /// Runs `body` with an in-memory store (fast, for tests that write a lot).
    static func withMemoryStore<T>(
        configuration: SessionStore.Configuration = .defaults, _ body: (SessionStore) async throws -> T
    ) async throws -> T {
        let store = try SessionStore(location: .inMemory, configuration: configuration, logger: logger)
        defer { try? store.close() }
        return try await body(store)
    }

    /// A small valid spec; `labels` and `dataLinks` vary per test.
    static func spec(
        image: String = "base", labels: [String: String] = [:], dataLinks: [String] = [], environment: String = "local"
    ) -> SessionSpec {
        SessionSpec(
            preset: "jupyter", image: image, podSize: "small", computeEnvironment: environment,
            environment: [.init(name: "MODE", value: .plain("dev")), .init(name: "TOKEN", value: .secret("api-token"))],
            dataLinks: dataLinks, labels: labels, durationLimit: .seconds(3600))
    }

    /// Creates a session and returns it.
    @discardableResult
    static func create(
        _ store: SessionStore, _ name: String, workspace: WorkspaceID = .default, owner: String = "ada",
        spec: SessionSpec = spec(), now: Double = 1_700_000_000
    ) async throws -> Session {
        try await store.createSession(workspace: workspace, name: name, owner: owner, spec: spec, now: now).session
    }
}

/// Checks that `body` throws a ``SessionError`` with `code`, and returns it.
@discardableResult
func expectSessionError(
    _ code: SessionError.Code, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> SessionError? {
    do {
        try await body()
        Issue.record("expected \(code), but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as SessionError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected SessionError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
