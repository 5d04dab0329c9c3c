internal import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// One `WatchSessions` call: the matching sessions as they are (unless resuming from
/// a revision), a SNAPSHOT_END marker, then every change in commit order until the
/// caller cancels. Sessions are shown as every other session RPC shows them
/// (``SessionPresenter``): on the connection proxy's URL, with their connected users.
struct SessionWatch {
    let store: SessionStore
    let presenter: SessionPresenter

    func run(_ request: V1WatchSessionsRequest, writer: ServerResponseWriter<V1WatchSessionsResponse>) async throws {
        let workspace: WorkspaceID
        let filter: SessionFilter
        var revision = request.sinceRevision
        do {
            workspace = try WorkspaceID(validating: request.workspace)
            filter = try SessionFilter(request.filter)
            guard revision >= 0 else { throw SessionError(.invalidArgument, "since_revision must not be negative") }
            if revision == 0 {
                let snapshot = try await store.sessionsSnapshot(workspace: workspace)
                for session in snapshot.sessions where filter.matches(session) {
                    try await writer.write(V1WatchSessionsResponse(
                        type: .added, session: try await presenter.message(for: session), revision: session.revision))
                }
                revision = snapshot.revision
                try await writer.write(V1WatchSessionsResponse(type: .snapshotEnd, session: nil, revision: revision))
            }
        } catch let error as SessionError {
            throw error.rpcError
        }
        do {
            for try await change in store.watchChanges(workspace: workspace, after: revision) {
                guard let response = try await response(for: change, filter: filter) else { continue }
                try await writer.write(response)
            }
        } catch let error as SessionError {
            throw error.rpcError
        }
    }

    /// The message for a change, or nil when the session does not match the filter.
    /// A deleted session is sent with only its id.
    func response(for change: SessionChange, filter: SessionFilter) async throws(SessionError) -> V1WatchSessionsResponse? {
        switch change.kind {
        case .deleted:
            var session = V1Session()
            session.id = change.sessionID.rawValue
            session.workspace = change.workspace.rawValue
            return V1WatchSessionsResponse(type: .deleted, session: session, revision: change.revision)
        case .added, .modified:
            guard let session = change.session, filter.matches(session) else { return nil }
            return V1WatchSessionsResponse(
                type: change.kind == .added ? .added : .modified, session: try await presenter.message(for: session),
                revision: change.revision)
        }
    }
}

extension SessionFilter {
    /// The store's filter for an API filter.
    init(_ message: V1SessionFilter?) throws(SessionError) {
        guard let message else {
            self.init()
            return
        }
        var states = Set<SessionState>()
        for (index, state) in message.states.enumerated() {
            states.insert(try SessionState(state, field: "filter.states[\(index)]"))
        }
        self.init(
            states: states, computeEnvironment: message.backend.isEmpty ? nil : message.backend, labels: message.labels,
            owner: message.owner.isEmpty ? nil : message.owner)
    }

    /// Whether a session passes the filter, as the store's listing decides it.
    func matches(_ session: Session) -> Bool {
        (states.isEmpty || states.contains(session.state))
            && (computeEnvironment == nil || computeEnvironment == session.spec.computeEnvironment)
            && (owner == nil || owner == session.owner)
            && labels.allSatisfy { session.spec.labels[$0.key] == $0.value }
    }
}

extension V1SessionEvent {
    /// The message of an activity log entry.
    init(_ event: SessionEvent) {
        let type: V1SessionEventType = switch event.kind {
        case .stateChanged: .stateChanged
        case .action: .action
        case .checkpoint: .checkpoint
        case .warning: .warning
        case .error: .error
        case .buildLog: .buildLog
        }
        self.init(
            sessionID: event.session.rawValue, time: ProtobufTimestamp(secondsSince1970: event.time), type: type, message: event.message,
            fromState: event.fromState.map(V1SessionState.init) ?? .unspecified,
            toState: event.toState.map(V1SessionState.init) ?? .unspecified, actor: event.actor)
    }
}
