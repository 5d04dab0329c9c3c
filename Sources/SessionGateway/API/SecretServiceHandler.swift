public import RPCTransport
internal import SessionAPI
internal import SessionSDK

/// `sessiongw.v1.SecretService`: a workspace's secrets, whose values go in sealed
/// (``SecretVault``) and never come out through the API.
public struct SecretServiceHandler: RPCService {
    let store: SessionStore
    let vault: SecretVault
    let access: AccessControl

    /// The longest value a secret may have.
    static let maxValueBytes = 64 * 1024

    /// Creates the service.
    public init(store: SessionStore, vault: SecretVault, access: AccessControl) {
        self.store = store
        self.vault = vault
        self.access = access
    }

    public func registerMethods(with router: inout RPCRouter) {
        router.unary(SecretServiceMethods.createSecret, access: access, target: { $0.name }) {
            (request: V1CreateSecretRequest, grant) throws(SessionError) in
            try StoredSecret.requireValidName(request.name, field: "name")
            guard !request.value.isEmpty, request.value.utf8.count <= Self.maxValueBytes, !request.value.utf8.contains(0) else {
                throw SessionError(.invalidArgument, "value must hold 1 to \(Self.maxValueBytes) bytes and no NUL byte")
            }
            let variable = request.environmentVariable.isEmpty ? nil : request.environmentVariable
            if let variable { try Self.validateVariable(variable) }
            let now = SessionStore.now()
            let secret = StoredSecret(
                workspace: grant.workspace, name: request.name, environmentVariable: variable, createdAt: now, updatedAt: now,
                updatedBy: grant.caller)
            let sealed = try vault.seal(request.value, workspace: grant.workspace, name: request.name)
            return V1Secret(try await store.putSecret(secret, sealed: sealed, replace: request.replace))
        }
        router.unary(SecretServiceMethods.listSecrets, access: access) {
            (request: V1ListSecretsRequest, grant) throws(SessionError) in
            V1ListSecretsResponse(secrets: try await store.secrets(in: grant.workspace).map(V1Secret.init))
        }
        router.unary(SecretServiceMethods.deleteSecret, access: access, target: { $0.name }) {
            (request: V1DeleteSecretRequest, grant) throws(SessionError) in
            try await store.deleteSecret(named: try APIFieldRules.required(request.name, field: "name"), in: grant.workspace)
            return V1DeleteSecretResponse()
        }
    }

    /// Refuses an environment variable name a session could not have, or one the
    /// gateway and the backends set themselves (`SESSION_*`, `SESSIONGW_*`).
    static func validateVariable(_ name: String) throws(SessionError) {
        guard SessionSpecResolver.isVariableName(name) else {
            throw SessionError(
                .invalidArgument,
                "environment_variable '\(DataLinkRules.printable(name))' must be letters, digits and '_', not starting with a digit")
        }
        guard !name.hasPrefix("SESSION_"), !name.hasPrefix("SESSIONGW_") else {
            throw SessionError(
                .invalidArgument, "environment_variable '\(name)' is reserved: the gateway and the backends set SESSION_* and SESSIONGW_*")
        }
    }
}

extension V1Secret {
    /// The message of a secret: never its value.
    init(_ secret: StoredSecret) {
        self.init(
            workspace: secret.workspace.rawValue, name: secret.name, environmentVariable: secret.environmentVariable ?? "",
            createTime: ProtobufTimestamp(secondsSince1970: secret.createdAt),
            updateTime: ProtobufTimestamp(secondsSince1970: secret.updatedAt), updatedBy: secret.updatedBy)
    }
}
