import Foundation
import RPCTransport
import SessionAPI
@testable import SessionGateway
import SessionSDK
import Synchronization
import Testing

/// An open WatchSessions stream keeps its caller's grant only while the caller does:
/// revoking the token, letting it expire, or removing the member ends it within the
/// re-check interval (5 s), with the status that says why.
@Suite("Access: open streams are authorized again", .timeLimit(.minutes(2)))
struct StreamReauthorizationTests {
    static let members: [GatewayConfiguration.Access.Member] = [
        .init(workspace: .default, caller: "vera", role: .view),
        .init(workspace: .default, caller: "rex", role: .view),
        .init(workspace: .default, caller: "stay", role: .view),
    ]

    /// Opens a watch, waits for its snapshot, runs `change`, and returns how the stream
    /// ended and how long after the change.
    static func watchEnding(
        _ gateway: RunningGateway, token: String, after change: @escaping @Sendable () async throws -> Void
    ) async throws -> (code: RPCError.Code?, seconds: Double) {
        let clock = ContinuousClock()
        var changedAt = clock.now
        do {
            try await gateway.client.serverStreaming(
                SessionServiceMethods.watchSessions, request: V1WatchSessionsRequest(),
                metadata: RunningGateway.metadata(token)
            ) { (stream: ClientResponseStream<V1WatchSessionsResponse>) in
                for try await response in stream where response.type == .snapshotEnd {
                    changedAt = clock.now
                    try await change()
                }
            }
            return (nil, (clock.now - changedAt) / .seconds(1))
        } catch let error as RPCError {
            return (error.code, (clock.now - changedAt) / .seconds(1))
        }
    }

    @Test("revoking the token ends the stream UNAUTHENTICATED; removing the member ends it PERMISSION_DENIED; both within 10 s")
    func streamsEndWhenAccessIsWithdrawn() async throws {
        try await RunningGateway.run(access: .init(members: Self.members)) { gateway in
            let store = gateway.gateway.store
            let (veraToken, veraValue) = APIToken.make(caller: "vera", description: "test", expiresAt: nil)
            try await store.addToken(veraToken, sha256: APIToken.sha256(of: veraValue))
            let rexValue = try await gateway.token(for: "rex")
            let stayValue = try await gateway.token(for: "stay")

            async let revoked = Self.watchEnding(gateway, token: veraValue) {
                try await store.revokeToken(id: veraToken.id)
            }
            async let removed = Self.watchEnding(gateway, token: rexValue) {
                _ = try await store.removeMember("rex", from: .default)
            }
            // A caller who keeps access keeps the stream: it is still open after both ended.
            let bystanderEnded = EndFlag()
            let bystander = Task {
                defer { bystanderEnded.set() }
                try await gateway.client.serverStreaming(
                    SessionServiceMethods.watchSessions, request: V1WatchSessionsRequest(),
                    metadata: RunningGateway.metadata(stayValue)
                ) { (stream: ClientResponseStream<V1WatchSessionsResponse>) in
                    for try await _ in stream {}
                }
            }
            let (revocation, removal) = try await (revoked, removed)
            #expect(revocation.code == .unauthenticated)
            #expect(revocation.seconds < 10)
            #expect(removal.code == .permissionDenied)
            #expect(removal.seconds < 10)
            try await Task.sleep(for: .seconds(6))  // past another re-check
            #expect(!bystanderEnded.isSet)
            bystander.cancel()
        }
    }

    @Test("a token that expires while the stream is open ends it UNAUTHENTICATED")
    func expiringTokenEndsTheStream() async throws {
        try await RunningGateway.run(access: .init(members: Self.members)) { gateway in
            let value = try await gateway.token(for: "vera", expiresAt: Date().timeIntervalSince1970 + 2)
            let ended = try await Self.watchEnding(gateway, token: value) {}
            #expect(ended.code == .unauthenticated)
            #expect(ended.seconds < 10)
        }
    }
}

/// Set once a task has ended.
private final class EndFlag: Sendable {
    private let ended = Mutex(false)
    func set() { ended.withLock { $0 = true } }
    var isSet: Bool { ended.withLock { $0 } }
}
