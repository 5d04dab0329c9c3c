/// One mutating call in the audit trail: who did what to which object, and how it ended.
public struct AuditEntry: Hashable, Sendable {
    /// When the call ended, in seconds since 1970.
    public var time: Double
    /// Who made it.
    public var caller: String
    /// The workspace it was made in.
    public var workspace: String
    /// The RPC, such as `SessionService/DeleteSession`.
    public var action: String
    /// The object, such as a session id or name; empty when there is none.
    public var target: String
    /// `OK` or the status code name, such as `PERMISSION_DENIED`.
    public var result: String

    /// Creates an entry.
    public init(time: Double, caller: String, workspace: String, action: String, target: String, result: String) {
        self.time = time
        self.caller = caller
        self.workspace = workspace
        self.action = action
        self.target = target
        self.result = result
    }
}
