import Foundation
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import Testing

/// Every RPC of the public API, for every role and for callers without one, through a
/// real gateway: the exact outcome each gets.
@Suite("Access: every RPC for every role")
struct AccessMatrixTests {
    /// How a call ended, as far as access is concerned.
    enum Outcome: Hashable, CustomStringConvertible {
        /// Past access control (the call may still fail for other reasons).
        case allowed
        case permissionDenied
        case unauthenticated
        /// NOT_FOUND saying the workspace is not one of the caller's.
        case hidden

        var description: String {
            switch self {
            case .allowed: "allowed"
            case .permissionDenied: "PERMISSION_DENIED"
            case .unauthenticated: "UNAUTHENTICATED"
            case .hidden: "NOT_FOUND (hidden)"
            }
        }
    }

    /// The least role each RPC needs, written out here independently of the gateway's table.
    static let needs: [(rpc: String, role: Role)] = [
        ("CreateSession", .launch), ("GetSession", .view), ("ListSessions", .view), ("WatchSessions", .view),
        ("UpdateSession", .launch), ("PauseSession", .launch), ("ResumeSession", .launch), ("DeleteSession", .launch),
        ("CloneSession", .launch), ("GetSessionConnection", .connect), ("ListSessionEvents", .view),
        ("ListCheckpoints", .view), ("GetCheckpoint", .view), ("RenameCheckpoint", .launch),
        ("CreateDataLink", .maintain), ("ListDataLinks", .view), ("DeleteDataLink", .maintain),
        ("ListPresets", .view), ("ListComputeEnvironments", .view), ("ListConfigurations", .view),
        ("CreateTerminal", .connect), ("ListTerminals", .connect), ("AttachTerminal", .connect), ("DeleteTerminal", .connect),
        ("ListSessionActivities", .connect), ("ShutdownActivity", .connect), ("GetUsageReport", .view),
        ("GetSessionUtilization", .view), ("CreateSecret", .maintain), ("ListSecrets", .maintain), ("DeleteSecret", .maintain),
    ]

    static let lab = WorkspaceID(rawValue: "lab")

    @Test("the table covers every RPC of the eight services, and nothing else")
    func tableIsComplete() {
        let served = Set(AccessPolicy.rules.keys.map(\.method))
        #expect(served == Set(Self.needs.map(\.rpc)))
        #expect(AccessPolicy.rules.count == Self.needs.count)
    }

    @Test("each caller gets exactly the outcome its role allows, on every RPC")
    func matrix() async throws {
        let members = Role.allCases.map { GatewayConfiguration.Access.Member(workspace: Self.lab, caller: "as-\($0.rawValue)", role: $0) }
        try await RunningGateway.run(access: .init(workspaces: [Self.lab, WorkspaceID(rawValue: "elsewhere")], members: members)) { gateway in
            var callers: [(name: String, token: String?, expected: (Role) -> Outcome)] = [
                ("no token", nil, { _ in .unauthenticated }),
                ("unknown token", "sgw_t-0000000000000000_" + String(repeating: "0", count: 64), { _ in .unauthenticated }),
                ("a member of another workspace only", try await gateway.token(for: "outsider"), { _ in .hidden }),
                ("the administrator", gateway.adminToken, { _ in .allowed }),
            ]
            try await gateway.gateway.store.setMember("outsider", role: .admin, in: WorkspaceID(rawValue: "elsewhere"))
            for role in Role.allCases {
                callers.append(("role \(role.rawValue)", try await gateway.token(for: "as-\(role.rawValue)"), { needed in
                    role >= needed ? .allowed : .permissionDenied
                }))
            }
            for caller in callers {
                for (rpc, needed) in Self.needs {
                    let outcome = try await Self.call(rpc, workspace: "lab", token: caller.token, on: gateway)
                    #expect(outcome == caller.expected(needed), "\(caller.name) calling \(rpc)")
                }
            }
        }
    }

    @Test("a workspace that does not exist and one the caller is not in look the same")
    func existenceIsNotRevealed() async throws {
        try await RunningGateway.run(access: .init(workspaces: [Self.lab])) { gateway in
            let token = try await gateway.token(for: "stranger")
            for workspace in ["lab", "no-such-workspace"] {
                let error = try await Self.error(of: "GetSession", workspace: workspace, token: token, on: gateway)
                #expect(error?.code == .notFound)
                #expect(error?.message == "workspace '\(workspace)' not found, or you are not one of its members")
            }
        }
    }

    // MARK: Calls

    /// Makes one call of `rpc` with a request that cannot succeed past access control
    /// without changing anything (unknown ids, an invalid spec or location).
    static func call(_ rpc: String, workspace: String, token: String?, on gateway: RunningGateway) async throws -> Outcome {
        guard let error = try await error(of: rpc, workspace: workspace, token: token, on: gateway) else { return .allowed }
        switch error.code {
        case .unauthenticated: return .unauthenticated
        case .permissionDenied: return .permissionDenied
        case .notFound where error.message.contains("not one of its members"): return .hidden
        default: return .allowed
        }
    }

    static func error(of rpc: String, workspace: String, token: String?, on gateway: RunningGateway) async throws -> RPCError? {
        let metadata = RunningGateway.metadata(token)
        let client = gateway.client
        let missing = "s-doesnotexist0000"
        func unary<Request, Response>(_ method: TypedRPCMethod<Request, Response>, _ request: Request) async throws {
            _ = try await client.unary(method, request: request, metadata: metadata)
        }
        do {
            switch rpc {
            case "CreateSession": try await unary(SessionServiceMethods.createSession, V1CreateSessionRequest(workspace: workspace, name: "x"))
            case "GetSession": try await unary(SessionServiceMethods.getSession, V1GetSessionRequest(workspace: workspace, sessionID: missing))
            case "ListSessions": try await unary(SessionServiceMethods.listSessions, V1ListSessionsRequest(workspace: workspace))
            case "WatchSessions":
                try await client.serverStreaming(
                    SessionServiceMethods.watchSessions, request: V1WatchSessionsRequest(workspace: workspace), metadata: metadata
                ) { (stream: ClientResponseStream<V1WatchSessionsResponse>) in
                    for try await _ in stream { break }
                }
            case "UpdateSession": try await unary(SessionServiceMethods.updateSession, V1UpdateSessionRequest(workspace: workspace, sessionID: missing))
            case "PauseSession": try await unary(SessionServiceMethods.pauseSession, V1PauseSessionRequest(workspace: workspace, sessionID: missing))
            case "ResumeSession": try await unary(SessionServiceMethods.resumeSession, V1ResumeSessionRequest(workspace: workspace, sessionID: missing))
            case "DeleteSession": try await unary(SessionServiceMethods.deleteSession, V1DeleteSessionRequest(workspace: workspace, sessionID: missing))
            case "CloneSession": try await unary(SessionServiceMethods.cloneSession, V1CloneSessionRequest(workspace: workspace, checkpointID: "c-doesnotexist0000"))
            case "GetSessionConnection": try await unary(SessionServiceMethods.getSessionConnection, V1GetSessionConnectionRequest(workspace: workspace, sessionID: missing))
            case "ListSessionEvents": try await unary(SessionServiceMethods.listSessionEvents, V1ListSessionEventsRequest(workspace: workspace, sessionID: missing))
            case "ListCheckpoints": try await unary(CheckpointServiceMethods.listCheckpoints, V1ListCheckpointsRequest(workspace: workspace, sessionID: missing))
            case "GetCheckpoint": try await unary(CheckpointServiceMethods.getCheckpoint, V1GetCheckpointRequest(workspace: workspace, checkpointID: "c-doesnotexist0000"))
            case "RenameCheckpoint": try await unary(CheckpointServiceMethods.renameCheckpoint, V1RenameCheckpointRequest(workspace: workspace, checkpointID: "c-doesnotexist0000"))
            case "CreateDataLink": try await unary(DataLinkServiceMethods.createDataLink, V1CreateDataLinkRequest(workspace: workspace))
            case "ListDataLinks": try await unary(DataLinkServiceMethods.listDataLinks, V1ListDataLinksRequest(workspace: workspace))
            case "DeleteDataLink": try await unary(DataLinkServiceMethods.deleteDataLink, V1DeleteDataLinkRequest(workspace: workspace, dataLinkID: "d-doesnotexist0000"))
            case "ListPresets": try await unary(CatalogServiceMethods.listPresets, V1ListPresetsRequest(workspace: workspace))
            case "ListComputeEnvironments": try await unary(CatalogServiceMethods.listComputeEnvironments, V1ListComputeEnvironmentsRequest(workspace: workspace))
            case "ListConfigurations": try await unary(CatalogServiceMethods.listConfigurations, V1ListConfigurationsRequest(workspace: workspace))
            case "CreateTerminal": try await unary(TerminalServiceMethods.createTerminal, V1CreateTerminalRequest(workspace: workspace, sessionID: missing))
            case "ListTerminals": try await unary(TerminalServiceMethods.listTerminals, V1ListTerminalsRequest(workspace: workspace, sessionID: missing))
            case "DeleteTerminal": try await unary(TerminalServiceMethods.deleteTerminal, V1DeleteTerminalRequest(workspace: workspace, sessionID: missing))
            case "ListSessionActivities": try await unary(ActivityServiceMethods.listSessionActivities, V1ListSessionActivitiesRequest(workspace: workspace, sessionID: missing))
            case "ShutdownActivity": try await unary(ActivityServiceMethods.shutdownActivity, V1ShutdownActivityRequest(workspace: workspace, sessionID: missing, kind: .terminal, id: "x"))
            case "GetSessionUtilization": try await unary(SessionServiceMethods.getSessionUtilization, V1GetSessionUtilizationRequest(workspace: workspace, sessionID: missing))
            case "GetUsageReport": try await unary(UsageServiceMethods.getUsageReport, V1GetUsageReportRequest(workspace: workspace))
            case "CreateSecret": try await unary(SecretServiceMethods.createSecret, V1CreateSecretRequest(workspace: workspace, name: "x", value: "v"))
            case "ListSecrets": try await unary(SecretServiceMethods.listSecrets, V1ListSecretsRequest(workspace: workspace))
            case "DeleteSecret": try await unary(SecretServiceMethods.deleteSecret, V1DeleteSecretRequest(workspace: workspace, name: "x"))
            case "AttachTerminal":
                try await client.bidirectional(TerminalServiceMethods.attachTerminal, metadata: metadata) {
                    (writer: ClientRequestWriter<V1AttachTerminalRequest>, responses: ClientResponseStream<V1AttachTerminalResponse>) in
                    try await writer.write(V1AttachTerminalRequest(kind: .open(.init(workspace: workspace, sessionID: missing, name: "x"))))
                    for try await _ in responses { break }
                }
            default: Issue.record("no call for \(rpc)")
            }
            return nil
        } catch let error as RPCError {
            return error
        }
    }
}
