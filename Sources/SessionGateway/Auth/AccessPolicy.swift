public import RPCTransport
internal import SessionAPI

/// The role each RPC of the public API needs in the workspace it names: the one table
/// of who may do what, enforced for every call by ``AccessControl``.
///
/// | RPC | view | connect | launch | maintain | admin |
/// |---|---|---|---|---|---|
/// | GetSession, ListSessions, WatchSessions, ListSessionEvents | ✓ | ✓ | ✓ | ✓ | ✓ |
/// | ListCheckpoints, GetCheckpoint, ListDataLinks | ✓ | ✓ | ✓ | ✓ | ✓ |
/// | ListPresets, ListComputeEnvironments, ListConfigurations | ✓ | ✓ | ✓ | ✓ | ✓ |
/// | GetSessionConnection, opening a session through ``ConnectionProxy`` | | ✓ | ✓ | ✓ | ✓ |
/// | CreateTerminal, ListTerminals, AttachTerminal, DeleteTerminal | | ✓ | ✓ | ✓ | ✓ |
/// | ListSessionActivities, ShutdownActivity (the session panel) | | ✓ | ✓ | ✓ | ✓ |
/// | CreateSession, CloneSession | | | ✓ | ✓ | ✓ |
/// | UpdateSession, PauseSession, ResumeSession, DeleteSession, RenameCheckpoint | | | own | ✓ | ✓ |
/// | CreateDataLink, DeleteDataLink | | | | ✓ | ✓ |
/// | CreateSecret, ListSecrets, DeleteSecret (values are never returned) | | | | ✓ | ✓ |
///
/// Terminals need `connect`, as opening the IDE does: attaching to a terminal runs
/// code as the session, with the session's access to its storage and data-links.
///
/// "own": a caller with `launch` may do it only to sessions it created (and their
/// checkpoints). A caller that is not a member of the workspace gets `NOT_FOUND`, as
/// for an object that does not exist; a member whose role is too low gets
/// `PERMISSION_DENIED` naming the role needed. The administrator token has every role
/// in every workspace. Members, tokens and compute environments are managed with the
/// `sessiongw token` and `sessiongw member` commands on the gateway's host.
public enum AccessPolicy {
    /// What one RPC needs.
    public struct Rule: Hashable, Sendable {
        /// The least role.
        public var role: Role
        /// Whether, below `maintain`, only the caller's own sessions qualify.
        public var ownSessionsOnly: Bool
        /// Whether the call changes something, and so is written to the audit trail.
        public var mutating: Bool
    }

    /// The rule of every RPC of the public API, by method.
    public static let rules: [RPCMethod: Rule] = {
        var rules: [RPCMethod: Rule] = [:]
        func add(_ methods: [RPCMethod], _ role: Role, own: Bool = false, mutating: Bool = false) {
            for method in methods { rules[method] = Rule(role: role, ownSessionsOnly: own, mutating: mutating) }
        }
        add([SessionServiceMethods.getSession.method, SessionServiceMethods.listSessions.method, SessionServiceMethods.watchSessions.method,
             SessionServiceMethods.listSessionEvents.method, CheckpointServiceMethods.listCheckpoints.method,
             CheckpointServiceMethods.getCheckpoint.method, DataLinkServiceMethods.listDataLinks.method,
             CatalogServiceMethods.listPresets.method, CatalogServiceMethods.listComputeEnvironments.method,
             CatalogServiceMethods.listConfigurations.method,
             UsageServiceMethods.getUsageReport.method, SessionServiceMethods.getSessionUtilization.method], .view)
        add([SessionServiceMethods.getSessionConnection.method, TerminalServiceMethods.listTerminals.method,
             TerminalServiceMethods.attachTerminal.method, ActivityServiceMethods.listSessionActivities.method], .connect)
        add([TerminalServiceMethods.createTerminal.method, TerminalServiceMethods.deleteTerminal.method,
             ActivityServiceMethods.shutdownActivity.method], .connect, mutating: true)
        add([SessionServiceMethods.createSession.method, SessionServiceMethods.cloneSession.method], .launch, mutating: true)
        add([SessionServiceMethods.updateSession.method, SessionServiceMethods.pauseSession.method, SessionServiceMethods.resumeSession.method,
             SessionServiceMethods.deleteSession.method, CheckpointServiceMethods.renameCheckpoint.method], .launch, own: true, mutating: true)
        add([DataLinkServiceMethods.createDataLink.method, DataLinkServiceMethods.deleteDataLink.method], .maintain, mutating: true)
        add([SecretServiceMethods.listSecrets.method], .maintain)
        add([SecretServiceMethods.createSecret.method, SecretServiceMethods.deleteSecret.method], .maintain, mutating: true)
        return rules
    }()
}
