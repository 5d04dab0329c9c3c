/// The unprivileged host user and group a sandbox runs as when the gateway is root.
struct SandboxUser: Hashable, Sendable {
    /// The user id.
    var uid: UInt32
    /// The group id.
    var gid: UInt32
}
