public import SessionSDK

/// Secrets from the store, opened with the ``SecretVault``, with the files of a
/// ``DirectorySecretResolver`` behind them for secrets kept as files: what the gateway
/// resolves `secret_ref` variables and the workspace bundle with.
public struct StoreSecretResolver: SecretResolver {
    let store: SessionStore
    let vault: SecretVault
    let files: DirectorySecretResolver

    /// Creates a resolver.
    public init(store: SessionStore, vault: SecretVault, files: DirectorySecretResolver) {
        self.store = store
        self.vault = vault
        self.files = files
    }

    public func value(ofSecret name: String, in workspace: WorkspaceID) async throws(SessionError) -> String {
        try StoredSecret.requireValidName(name, field: "secret name")
        guard let sealed = try await store.sealedSecret(named: name, in: workspace) else {
            return try await files.value(ofSecret: name, in: workspace)
        }
        return try vault.open(sealed, workspace: workspace, name: name)
    }

    public func bundle(in workspace: WorkspaceID) async throws(SessionError) -> [String: String] {
        var values: [String: String] = [:]
        for (variable, name, sealed) in try await store.sealedBundle(in: workspace) {
            values[variable] = try vault.open(sealed, workspace: workspace, name: name)
        }
        return values
    }
}
