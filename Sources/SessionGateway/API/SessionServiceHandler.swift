public import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// `sessiongw.v1.SessionService`: the session API, answered by the controller.
///
/// With a ``ConnectionProxy``, sessions' URLs are their addresses on the proxy,
/// `GetSessionConnection` returns a link ticket instead of the backend's own token, and
/// sessions carry the users connected to them (``SessionPresenter``, for every RPC
/// that returns sessions).
public struct SessionServiceHandler: RPCService {
    let controller: SessionController
    let access: AccessControl
    let proxy: ConnectionProxy?
    let presenter: SessionPresenter

    /// Creates the service.
    public init(controller: SessionController, access: AccessControl, proxy: ConnectionProxy? = nil) {
        self.controller = controller
        self.access = access
        self.proxy = proxy
        presenter = SessionPresenter(store: controller.store, configuration: controller.configuration, proxy: proxy)
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.unary(SessionServiceMethods.createSession, access: access, target: { $0.name }) {
            (request: V1CreateSessionRequest, grant) throws(SessionError) in
            guard let specMessage = request.spec else { throw SessionError(.invalidArgument, "spec is required") }
            let spec = try SessionSpec(
                specMessage, defaultHomeVolumeBytes: controller.defaultHomeVolumeBytes(for: specMessage.preset))
            let session = try await controller.createSession(
                workspace: grant.workspace, name: request.name, owner: grant.caller, spec: spec,
                allowExperimentalImage: request.allowExperimentalImage)
            return try await presenter.message(for: session)
        }
        router.unary(SessionServiceMethods.getSession, access: access) { (request: V1GetSessionRequest, grant) throws(SessionError) in
            try await presenter.message(for: try await controller.store.session(
                id: try SessionID(validating: request.sessionID), workspace: grant.workspace))
        }
        router.unary(SessionServiceMethods.listSessions, access: access) { (request: V1ListSessionsRequest, grant) throws(SessionError) in
            let revision = try await controller.store.currentRevision()
            let page = try await controller.store.listSessions(
                workspace: grant.workspace, filter: try SessionFilter(request.filter), pageSize: Int(request.pageSize),
                pageToken: request.pageToken)
            return V1ListSessionsResponse(
                sessions: try await presenter.messages(for: page.items), nextPageToken: page.nextPageToken, revision: revision)
        }
        router.serverStreaming(SessionServiceMethods.watchSessions, access: access) {
            (request: V1WatchSessionsRequest, writer: ServerResponseWriter<V1WatchSessionsResponse>, _) in
            try await SessionWatch(store: controller.store, presenter: presenter).run(request, writer: writer)
        }
        router.unary(SessionServiceMethods.updateSession, access: access, target: { $0.sessionID }) {
            (request: V1UpdateSessionRequest, grant) throws(SessionError) in
            let id = try SessionID(validating: request.sessionID)
            let update = try SessionSpecUpdate(request)
            let current = try await owned(id, grant)
            let session = try await controller.updateSession(
                workspace: grant.workspace, id: id, spec: update.applied(to: current.spec), actor: grant.caller)
            return try await presenter.message(for: session)
        }
        router.unary(SessionServiceMethods.pauseSession, access: access, target: { $0.sessionID }) {
            (request: V1PauseSessionRequest, grant) throws(SessionError) in
            let id = try SessionID(validating: request.sessionID)
            _ = try await owned(id, grant)
            return try await presenter.message(for: try await controller.pauseSession(
                workspace: grant.workspace, id: id, actor: grant.caller))
        }
        router.unary(SessionServiceMethods.resumeSession, access: access, target: { $0.sessionID }) {
            (request: V1ResumeSessionRequest, grant) throws(SessionError) in
            let id = try SessionID(validating: request.sessionID)
            _ = try await owned(id, grant)
            return try await presenter.message(for: try await controller.resumeSession(
                workspace: grant.workspace, id: id, actor: grant.caller))
        }
        router.unary(SessionServiceMethods.deleteSession, access: access, target: { $0.sessionID }) {
            (request: V1DeleteSessionRequest, grant) throws(SessionError) in
            let id = try SessionID(validating: request.sessionID)
            do throws(SessionError) {
                _ = try await owned(id, grant)
            } catch where error.code == .notFound {
                // Deleting a deleted session succeeds; an id the workspace never had does not.
                guard try await controller.store.wasDeleted(id: id, workspace: grant.workspace) else { throw error }
                return V1DeleteSessionResponse(session: nil)
            }
            try await controller.deleteSession(workspace: grant.workspace, id: id, force: request.force, actor: grant.caller)
            // DELETING while the backend finishes; absent once it is gone.
            let remaining: Session
            do throws(SessionError) {
                remaining = try await controller.store.session(id: id, workspace: grant.workspace)
            } catch where error.code == .notFound {
                return V1DeleteSessionResponse(session: nil)
            }
            return V1DeleteSessionResponse(session: try await presenter.message(for: remaining))
        }
        router.unary(SessionServiceMethods.cloneSession, access: access, target: { $0.name }) {
            (request: V1CloneSessionRequest, grant) throws(SessionError) in
            let source: SessionController.CloneSource
            switch (request.checkpointID.isEmpty, request.sessionID.isEmpty) {
            case (false, true): source = .checkpoint(try CheckpointID(validating: request.checkpointID))
            case (true, false): source = .latestCheckpoint(of: try SessionID(validating: request.sessionID))
            case (true, true): throw SessionError(.invalidArgument, "checkpoint_id or session_id is required")
            case (false, false): throw SessionError(.invalidArgument, "set checkpoint_id or session_id, not both")
            }
            let session = try await controller.cloneSession(
                workspace: grant.workspace, from: source, name: request.name, owner: grant.caller,
                image: request.image.isEmpty ? nil : request.image, allowExperimentalImage: request.allowExperimentalImage)
            return try await presenter.message(for: session)
        }
        router.unary(SessionServiceMethods.getSessionConnection, access: access) {
            (request: V1GetSessionConnectionRequest, grant) throws(SessionError) in
            let id = try SessionID(validating: request.sessionID)
            let connection = try await controller.connection(workspace: grant.workspace, id: id)
            guard let proxy else { return V1Connection(connection) }
            do {
                let link = try await proxy.link(workspace: grant.workspace, session: id, for: grant.principal)
                return V1Connection(url: link.url, accessToken: link.accessToken, accessTokenExpireTime: ProtobufTimestamp(secondsSince1970: link.expiresAt))
            } catch {
                throw SessionError(.unavailable, "the connection proxy is not listening; retry once the gateway has started", cause: error)
            }
        }
        router.unary(SessionServiceMethods.listSessionEvents, access: access) {
            (request: V1ListSessionEventsRequest, grant) throws(SessionError) in
            let page = try await controller.store.events(
                session: try SessionID(validating: request.sessionID), workspace: grant.workspace,
                pageSize: Int(request.pageSize), pageToken: request.pageToken)
            return V1ListSessionEventsResponse(events: page.items.map(V1SessionEvent.init), nextPageToken: page.nextPageToken)
        }
        router.unary(SessionServiceMethods.getSessionUtilization, access: access) {
            (request: V1GetSessionUtilizationRequest, grant) throws(SessionError) in
            let session = try await controller.store.session(id: try SessionID(validating: request.sessionID), workspace: grant.workspace)
            let samples = try await controller.store.utilization(of: session.id, since: request.sinceTime?.secondsSince1970 ?? 0)
            var messages: [V1UtilizationSample] = []
            for sample in samples { messages.append(try V1UtilizationSample(sample)) }
            return V1GetSessionUtilizationResponse(samples: messages)
        }
    }

    /// The session, once the grant allows acting on it (see ``AccessGrant/requireOwnership(of:)``).
    private func owned(_ id: SessionID, _ grant: AccessGrant) async throws(SessionError) -> Session {
        let session = try await controller.store.session(id: id, workspace: grant.workspace)
        try grant.requireOwnership(of: session.owner)
        return session
    }

}
