public import RPCTransport
public import SessionSDK

/// Permission for one call in one workspace, as ``AccessControl`` granted it.
public struct AccessGrant: Sendable {
    /// Who is calling.
    public var principal: Principal
    /// The workspace the call names.
    public var workspace: WorkspaceID
    /// The caller's role there (`admin` for the administrator).
    public var role: Role
    /// The call.
    public var method: RPCMethod
    /// What the call needs.
    public var rule: AccessPolicy.Rule

    /// The caller's name, recorded as the owner of what it creates.
    public var caller: String { principal.caller }

    /// Checks that the caller may act on a session owned by `owner`: for RPCs limited
    /// to one's own sessions, a caller below `maintain` must be the owner.
    ///
    /// - Throws: `PERMISSION_DENIED` naming the owner rule.
    public func requireOwnership(of owner: String) throws(SessionError) {
        guard rule.ownSessionsOnly, role < .maintain, owner != caller else { return }
        throw SessionError(
            .permissionDenied,
            "with role \(role.rawValue) in workspace '\(workspace)' you may \(method.method) only your own sessions; "
                + "this one belongs to '\(owner)' (other people's sessions need the maintain role)")
    }
}
