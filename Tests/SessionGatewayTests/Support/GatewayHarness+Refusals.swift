import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

/// Everything a refused request must leave as it was: the store (its revision, every
/// session, activity log, checkpoint and data-link) and the backend (its session
/// directories, their process groups and the checkpoint archives).
struct GatewayObservation: Equatable, CustomStringConvertible {
    var revision: Int64
    var sessions: [Session]
    var events: [SessionID: [Int64]]
    var checkpoints: [SessionID: [CheckpointID]]
    var dataLinks: [String]
    var backendSessions: [String]
    var backendLeaders: [String: Int32]
    var liveBackendSessions: Set<String>
    var checkpointArchives: [String]

    var description: String {
        "revision \(revision); sessions \(sessions.map { "\($0.name)=\($0.state)@\($0.revision)" }); "
            + "events \(events.mapValues(\.count)); checkpoints \(checkpoints.mapValues(\.count)); data-links \(dataLinks.count); "
            + "backend \(backendSessions), live \(liveBackendSessions.sorted()); archives \(checkpointArchives.count)"
    }
}

extension GatewayHarness {
    /// The store and the backend as they are now.
    func observe() async throws -> GatewayObservation {
        let revision = try await store.sessionsSnapshot(workspace: .default).revision
        let sessions = try await store.sessions(inStates: [])
        var events: [SessionID: [Int64]] = [:]
        var checkpoints: [SessionID: [CheckpointID]] = [:]
        for session in sessions {
            events[session.id] = try await store.events(session: session.id, workspace: session.workspace, pageSize: 1000)
                .items.map(\.id)
            checkpoints[session.id] = try await store.checkpoints(session: session.id, workspace: session.workspace).map(\.id)
        }
        var dataLinks: [String] = []
        for workspace in try await store.workspaces() {
            dataLinks += try await store.listDataLinks(workspace: workspace, pageSize: 1000).items.map(\.id)
        }
        let backend = backendSessionIDs()
        var leaders: [String: Int32] = [:]
        var live: Set<String> = []
        for id in backend {
            leaders[id] = leader(of: SessionID(rawValue: id))
            if !liveProcesses(of: SessionID(rawValue: id)).isEmpty { live.insert(id) }
        }
        return GatewayObservation(
            revision: revision, sessions: sessions, events: events, checkpoints: checkpoints, dataLinks: dataLinks,
            backendSessions: backend, backendLeaders: leaders, liveBackendSessions: live,
            checkpointArchives: checkpointArchives())
    }

    /// Checks that `body` is refused with exactly `code`, with a message containing
    /// each of `mentioning`, and that neither the store nor the backend changed.
    @discardableResult
    func expectRefusal(
        _ code: SessionError.Code, mentioning: [String] = [], sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async throws -> SessionError? {
        let before = try await observe()
        let error = await expectSessionRefusal(code, mentioning: mentioning, sourceLocation: sourceLocation, body)
        let after = try await observe()
        #expect(after == before, "the refused request changed something:\nbefore: \(before)\nafter:  \(after)",
                sourceLocation: sourceLocation)
        return error
    }
}

/// Checks that `body` throws a ``SessionError`` with exactly `code` and a message
/// containing each of `mentioning`; returns it.
@discardableResult
func expectSessionRefusal(
    _ code: SessionError.Code, mentioning: [String] = [], sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> SessionError? {
    do {
        try await body()
        Issue.record("expected \(code), but the request succeeded", sourceLocation: sourceLocation)
        return nil
    } catch let error as SessionError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        for text in mentioning {
            #expect(error.message.contains(text), "'\(error.message)' does not mention '\(text)'", sourceLocation: sourceLocation)
        }
        return error
    } catch {
        Issue.record("expected SessionError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
