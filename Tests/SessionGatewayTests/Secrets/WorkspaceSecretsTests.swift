import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

/// Workspace secrets on real Local sessions: the bundle reaches every session's
/// environment unless it opts out or sets the variable itself, and the value is never
/// in the store file, the activity log or the session.
@Suite("Workspace secrets")
struct WorkspaceSecretsTests {
    static let value = "workspace-bundle-s3cr3t-77f1"

    static func put(_ gateway: GatewayHarness, variable: String?) async throws {
        let secret = StoredSecret(
            workspace: .default, name: "team-token", environmentVariable: variable, createdAt: 1, updatedAt: 1, updatedBy: "olga")
        try await gateway.store.putSecret(
            secret, sealed: try gateway.vault.seal(Self.value, workspace: .default, name: "team-token"), replace: true)
    }

    @Test("the bundle reaches sessions that do not opt out; a session's own variable wins; references by name work")
    func bundle() async throws {
        try await GatewayHarness.run { gateway in
            try await Self.put(gateway, variable: "API_TOKEN")
            let inherits = try await gateway.createRunning("inherits", spec: gateway.spec(preset: "env-echo"))
            #expect(try await gateway.shell("cat .api-token", in: inherits).output == Self.value)

            var optOut = gateway.spec(preset: "env-echo")
            optOut.inheritsWorkspaceSecrets = false
            let without = try await gateway.createRunning("without", spec: optOut)
            #expect(try await gateway.shell("cat .api-token", in: without).output == "")

            let own = try await gateway.createRunning(
                "own", spec: gateway.spec(preset: "env-echo", environment: [.init(name: "API_TOKEN", value: .plain("mine"))]))
            #expect(try await gateway.shell("cat .api-token", in: own).output == "mine")

            try await Self.put(gateway, variable: nil)
            var byName = gateway.spec(preset: "env-echo", environment: [.init(name: "API_TOKEN", value: .secret("team-token"))])
            byName.inheritsWorkspaceSecrets = false
            let referenced = try await gateway.createRunning("by-name", spec: byName)
            #expect(try await gateway.shell("cat .api-token", in: referenced).output == Self.value)

            for session in [inherits, without, own, referenced] {
                let events = try await gateway.store.events(session: session.id, workspace: .default).items
                #expect(!events.contains { $0.message.contains(Self.value) })
            }
            for suffix in ["", "-wal"] {
                let bytes = FileManager.default.contents(atPath: gateway.storePath + suffix) ?? Data()
                #expect(bytes.range(of: Data(Self.value.utf8)) == nil, "the store\(suffix) holds the value")
            }
        }
    }

    @Test("names, variables and limits: a taken name needs replace, a variable belongs to one secret, deletion is idempotent")
    func storeRules() async throws {
        try await StoreFixtures.withStore { store async throws in
            func secret(_ name: String, _ variable: String?) -> StoredSecret {
                StoredSecret(workspace: .default, name: name, environmentVariable: variable, createdAt: 10, updatedAt: 10, updatedBy: "a")
            }
            try await store.putSecret(secret("one", "ONE"), sealed: [1], replace: false)
            await expectSessionError(.alreadyExists) { try await store.putSecret(secret("one", nil), sealed: [2], replace: false) }
            await expectSessionError(.alreadyExists) { try await store.putSecret(secret("two", "ONE"), sealed: [3], replace: false) }
            var newer = secret("one", "UNO")
            newer.createdAt = 20
            newer.updatedAt = 20
            let replaced = try await store.putSecret(newer, sealed: [4], replace: true)
            #expect(replaced.createdAt == 10 && replaced.updatedAt == 20)
            #expect(try await store.secrets(in: .default).map(\.environmentVariable) == ["UNO"])
            #expect(try await store.sealedSecret(named: "one", in: .default) == [4])
            #expect(try await store.sealedBundle(in: .default).map(\.variable) == ["UNO"])
            await expectSessionError(.notFound) {
                try await store.putSecret(
                    StoredSecret(workspace: WorkspaceID(rawValue: "nowhere"), name: "x", environmentVariable: nil, createdAt: 1, updatedAt: 1, updatedBy: "a"),
                    sealed: [1], replace: false)
            }
            try await store.deleteSecret(named: "one", in: .default)
            try await store.deleteSecret(named: "one", in: .default)
            #expect(try await store.secrets(in: .default).isEmpty)
        }
    }
}
