@preconcurrency internal import Crypto
internal import Foundation
public import SessionSDK

/// Seals and opens secret values with AES-256-GCM under a key the gateway keeps outside
/// its store (`secrets.key` in the data directory unless `secretsKeyFile` names another
/// place): the store holds only sealed values, so a copy of the store file alone reveals
/// none. Each value is bound to its workspace and name, so a sealed value moved to
/// another secret does not open.
public struct SecretVault: Sendable {
    private let key: SymmetricKey

    /// A vault with a key of 32 bytes.
    init(key: [UInt8]) {
        self.key = SymmetricKey(data: key.prefix(32))
    }

    /// The vault of the key at `path`, made on first use (32 random bytes, mode 0600).
    ///
    /// - Throws: ``ConfigurationError`` for a file without a usable key.
    public static func loadOrCreate(keyFile path: String) throws -> SecretVault {
        SecretVault(key: try KeyFile.loadOrCreate(at: path))
    }

    /// The sealed form of a secret's value: nonce, ciphertext and tag.
    func seal(_ value: String, workspace: WorkspaceID, name: String) throws(SessionError) -> [UInt8] {
        do {
            let box = try AES.GCM.seal(Data(value.utf8), using: key, authenticating: Self.context(workspace, name))
            guard let combined = box.combined else { throw SessionError(.internalError, "the secret could not be sealed") }
            return Array(combined)
        } catch let error as SessionError {
            throw error
        } catch {
            throw SessionError(.internalError, "the secret could not be sealed", cause: error)
        }
    }

    /// A sealed value opened.
    ///
    /// - Throws: `INTERNAL` when it does not open with this key (the key file was
    ///   replaced, or the store was altered), saying which secret.
    func open(_ sealed: [UInt8], workspace: WorkspaceID, name: String) throws(SessionError) -> String {
        do {
            let box = try AES.GCM.SealedBox(combined: Data(sealed))
            return String(decoding: try AES.GCM.open(box, using: key, authenticating: Self.context(workspace, name)), as: UTF8.self)
        } catch {
            throw SessionError(
                .internalError,
                "secret '\(name)' of workspace '\(workspace)' does not open with the gateway's secrets key; "
                    + "was the key file replaced? Set the secret again")
        }
    }

    /// What a sealed value is bound to.
    private static func context(_ workspace: WorkspaceID, _ name: String) -> Data {
        Data("sessiongw-secret\u{0}\(workspace.rawValue)\u{0}\(name)".utf8)
    }
}
