internal import Foundation
public import SessionSDK

/// Resolves secret references in environment variables to their values.
///
/// Values are handed only to providers; they are never stored with the session,
/// returned by an RPC, logged or written to the activity log.
public protocol SecretResolver: Sendable {
    /// The value of a workspace's secret.
    ///
    /// - Throws: `NOT_FOUND` naming the secret when it does not exist.
    func value(ofSecret name: String, in workspace: WorkspaceID) async throws(SessionError) -> String

    /// The workspace's secret bundle, which every session gets unless it opts out: the
    /// value of each secret by the environment variable it is given as.
    func bundle(in workspace: WorkspaceID) async throws(SessionError) -> [String: String]
}

extension SecretResolver {
    /// No bundle.
    public func bundle(in workspace: WorkspaceID) async throws(SessionError) -> [String: String] { [:] }
}

/// Secrets as files: `ROOT/<workspace>/<name>`, one value per file (a trailing newline
/// is dropped). Names are letters, digits, `-`, `_` and `.`.
public struct DirectorySecretResolver: SecretResolver {
    /// The directory holding one directory per workspace.
    public let root: String

    /// Creates a resolver reading under `root`.
    public init(root: String) {
        self.root = root
    }

    public func value(ofSecret name: String, in workspace: WorkspaceID) async throws(SessionError) -> String {
        try StoredSecret.requireValidName(name, field: "secret name")
        let path = "\(root)/\(workspace.rawValue)/\(name)"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SessionError(.notFound, "secret '\(name)' not found in workspace '\(workspace)'")
        }
        var value = String(decoding: data, as: UTF8.self)
        if value.hasSuffix("\n") { value.removeLast() }
        return value
    }
}
