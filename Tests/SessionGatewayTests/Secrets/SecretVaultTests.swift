import Foundation
@testable import SessionGateway
import SessionSDK
import Testing

@Suite("SecretVault: values sealed with a key outside the store")
struct SecretVaultTests {
    static let lab = WorkspaceID(rawValue: "lab")

    @Test("a sealed value opens only with its key, for its own workspace and name, and does not hold the value")
    func sealAndOpen() throws {
        let vault = SecretVault(key: Array(repeating: 7, count: 32))
        let sealed = try vault.seal("hunter2-é", workspace: Self.lab, name: "db")
        #expect(try vault.open(sealed, workspace: Self.lab, name: "db") == "hunter2-é")
        #expect(Data(sealed).range(of: Data("hunter2".utf8)) == nil)
        #expect(try vault.seal("hunter2-é", workspace: Self.lab, name: "db") != sealed, "a fresh nonce each time")
        for (workspace, name) in [(Self.lab, "other"), (WorkspaceID.default, "db")] {
            #expect(throws: SessionError.self, "moved to \(workspace)/\(name)") {
                _ = try vault.open(sealed, workspace: workspace, name: name)
            }
        }
        let otherKey = SecretVault(key: Array(repeating: 8, count: 32))
        #expect(throws: SessionError.self) { _ = try otherKey.open(sealed, workspace: Self.lab, name: "db") }
        var altered = sealed
        altered[altered.count / 2] ^= 1
        #expect(throws: SessionError.self) { _ = try vault.open(altered, workspace: Self.lab, name: "db") }
    }

    @Test("the key file is made once, private, and used again")
    func keyFile() throws {
        let path = "/tmp/sessiongw-vault-\(UUID().uuidString)/secrets.key"
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let first = try SecretVault.loadOrCreate(keyFile: path)
        let sealed = try first.seal("v", workspace: .default, name: "n")
        #expect(try SecretVault.loadOrCreate(keyFile: path).open(sealed, workspace: .default, name: "n") == "v")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
