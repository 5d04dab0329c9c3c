public import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// `sessiongw.v1.SessionService`: the session API, answered by the controller.
public struct SessionServiceHandler: RPCService {
    let controller: SessionController

    /// Creates the service.
    public init(controller: SessionController) {
        self.controller = controller
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.unary(SessionServiceMethods.createSession) { (request: V1CreateSessionRequest, context) in
            try await answering { () async throws(SessionError) in
                let workspace = try WorkspaceID(validating: request.workspace)
                guard let specMessage = request.spec else { throw SessionError(.invalidArgument, "spec is required") }
                let spec = try SessionSpec(
                    specMessage, defaultHomeVolumeBytes: controller.defaultHomeVolumeBytes(for: specMessage.preset))
                let session = try await controller.createSession(
                    workspace: workspace, name: request.name, owner: context.caller, spec: spec)
                return try await message(for: session)
            }
        }
        router.unary(SessionServiceMethods.getSession) { (request: V1GetSessionRequest, _) in
            try await answering { () async throws(SessionError) in
                let session = try await controller.store.session(
                    id: try SessionID(validating: request.sessionID), workspace: try WorkspaceID(validating: request.workspace))
                return try await message(for: session)
            }
        }
        router.unary(SessionServiceMethods.listSessions) { (request: V1ListSessionsRequest, _) in
            try await answering { () async throws(SessionError) in
                let workspace = try WorkspaceID(validating: request.workspace)
                let revision = try await controller.store.currentRevision()
                let page = try await controller.store.listSessions(
                    workspace: workspace, filter: try SessionFilter(request.filter), pageSize: Int(request.pageSize),
                    pageToken: request.pageToken)
                return V1ListSessionsResponse(
                    sessions: page.items.map { V1Session($0) }, nextPageToken: page.nextPageToken, revision: revision)
            }
        }
        router.serverStreaming(SessionServiceMethods.watchSessions) {
            (request: V1WatchSessionsRequest, writer: ServerResponseWriter<V1WatchSessionsResponse>, _) in
            try await SessionWatch(store: controller.store).run(request, writer: writer)
        }
        router.unary(SessionServiceMethods.updateSession) { (request: V1UpdateSessionRequest, _) in
            try await answering { () async throws(SessionError) in
                let workspace = try WorkspaceID(validating: request.workspace)
                let id = try SessionID(validating: request.sessionID)
                let update = try SessionSpecUpdate(request)
                let current = try await controller.store.session(id: id, workspace: workspace)
                let session = try await controller.updateSession(
                    workspace: workspace, id: id, spec: update.applied(to: current.spec))
                return try await message(for: session)
            }
        }
        router.unary(SessionServiceMethods.pauseSession) { (request: V1PauseSessionRequest, _) in
            try await answering { () async throws(SessionError) in
                let session = try await controller.pauseSession(
                    workspace: try WorkspaceID(validating: request.workspace), id: try SessionID(validating: request.sessionID))
                return try await message(for: session)
            }
        }
        router.unary(SessionServiceMethods.resumeSession) { (request: V1ResumeSessionRequest, _) in
            try await answering { () async throws(SessionError) in
                let session = try await controller.resumeSession(
                    workspace: try WorkspaceID(validating: request.workspace), id: try SessionID(validating: request.sessionID))
                return try await message(for: session)
            }
        }
        router.unary(SessionServiceMethods.deleteSession) { (request: V1DeleteSessionRequest, _) in
            try await answering { () async throws(SessionError) in
                let workspace = try WorkspaceID(validating: request.workspace)
                let id = try SessionID(validating: request.sessionID)
                try await controller.deleteSession(workspace: workspace, id: id, force: request.force)
                return V1DeleteSessionResponse(session: nil)
            }
        }
        router.unary(SessionServiceMethods.cloneSession) { (request: V1CloneSessionRequest, context) in
            try await answering { () async throws(SessionError) in
                let session = try await controller.cloneSession(
                    workspace: try WorkspaceID(validating: request.workspace),
                    checkpoint: try CheckpointID(validating: request.checkpointID), name: request.name,
                    owner: context.caller, image: request.image.isEmpty ? nil : request.image)
                return try await message(for: session)
            }
        }
        router.unary(SessionServiceMethods.getSessionConnection) { (request: V1GetSessionConnectionRequest, _) in
            try await answering { () async throws(SessionError) in
                V1Connection(try await controller.connection(
                    workspace: try WorkspaceID(validating: request.workspace), id: try SessionID(validating: request.sessionID)))
            }
        }
        router.unary(SessionServiceMethods.listSessionEvents) { (request: V1ListSessionEventsRequest, _) in
            try await answering { () async throws(SessionError) in
                let page = try await controller.store.events(
                    session: try SessionID(validating: request.sessionID),
                    workspace: try WorkspaceID(validating: request.workspace), pageSize: Int(request.pageSize),
                    pageToken: request.pageToken)
                return V1ListSessionEventsResponse(events: page.items.map(V1SessionEvent.init), nextPageToken: page.nextPageToken)
            }
        }
    }

    /// A session's message with its data-links' mount paths and access.
    private func message(for session: Session) async throws(SessionError) -> V1Session {
        guard !session.spec.dataLinks.isEmpty,
              let environment = controller.configuration.environment(session.spec.computeEnvironment, in: session.workspace)
        else { return V1Session(session) }
        let links = try await controller.store.dataLinks(ids: session.spec.dataLinks, workspace: session.workspace)
        return V1Session(session, dataLinks: try DataLinkRules.mounts(for: links, in: environment.environment))
    }
}
