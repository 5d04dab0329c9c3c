import Foundation
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import Testing

/// Below maintain, callers act only on their own sessions; every mutating call lands in
/// the audit trail with its caller, workspace, action, target and result.
@Suite("Access: own sessions and the audit trail")
struct OwnershipAndAuditTests {
    @Test("launch acts on its own sessions only, maintain on all, and each mutating call is audited")
    func ownershipAndAudit() async throws {
        let members: [GatewayConfiguration.Access.Member] = [
            .init(workspace: .default, caller: "carol", role: .launch),
            .init(workspace: .default, caller: "dave", role: .launch),
            .init(workspace: .default, caller: "mo", role: .maintain),
        ]
        try await RunningGateway.run(access: .init(members: members)) { gateway in
            let carol = RunningGateway.metadata(try await gateway.token(for: "carol"))
            let dave = RunningGateway.metadata(try await gateway.token(for: "dave"))
            let mo = RunningGateway.metadata(try await gateway.token(for: "mo"))
            let client = gateway.client

            let created = try await client.unary(
                SessionServiceMethods.createSession,
                request: V1CreateSessionRequest(name: "carols", spec: V1SessionSpec(preset: "notebook", image: "python3", computeEnvironment: "local")),
                metadata: carol
            ).message
            #expect(created.owner == "carol")
            let id = created.id
            try await gateway.waitFor(.running, id, metadata: carol)

            let denied = await RunningGateway.refusal {
                _ = try await client.unary(
                    SessionServiceMethods.pauseSession, request: V1PauseSessionRequest(sessionID: id), metadata: dave)
            }
            #expect(denied?.code == .permissionDenied)
            #expect(denied?.message.contains("belongs to 'carol'") == true)
            #expect(await RunningGateway.refusal {
                _ = try await client.unary(
                    SessionServiceMethods.deleteSession, request: V1DeleteSessionRequest(sessionID: id, force: true),
                    metadata: dave)
            }?.code == .permissionDenied)

            // The maintainer may pause it; the owner may delete it.
            _ = try await client.unary(
                SessionServiceMethods.pauseSession, request: V1PauseSessionRequest(sessionID: id), metadata: mo)
            _ = try await client.unary(
                SessionServiceMethods.deleteSession, request: V1DeleteSessionRequest(sessionID: id, force: true),
                metadata: carol)

            let trail = try await gateway.gateway.store.auditEntries(workspace: .default).map {
                "\($0.caller) \($0.action) \($0.target) \($0.result)"
            }
            #expect(trail == [
                "carol sessiongw.v1.SessionService/CreateSession carols OK",
                "dave sessiongw.v1.SessionService/PauseSession \(id) PERMISSION_DENIED",
                "dave sessiongw.v1.SessionService/DeleteSession \(id) PERMISSION_DENIED",
                "mo sessiongw.v1.SessionService/PauseSession \(id) OK",
                "carol sessiongw.v1.SessionService/DeleteSession \(id) OK",
            ])
        }
    }
}
