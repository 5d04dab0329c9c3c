/// What a caller may do in a workspace, each role including the ones before it, as on
/// the platforms users know.
public enum Role: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    /// Read sessions, checkpoints, data-links, presets and environments.
    case view
    /// Also obtain the link of running sessions and open them through the connection
    /// proxy (checked on every proxied request).
    case connect
    /// Also create sessions, and pause, resume, edit and delete one's own.
    case launch
    /// Also pause, resume, edit and delete every session of the workspace, and manage
    /// its data-links.
    case maintain
    /// Also manage the workspace's members, tokens and compute environments.
    case admin

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
