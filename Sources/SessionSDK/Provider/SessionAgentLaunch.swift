#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a backend starts the session agent (`sessiongw-agent`) as the supervisor of a
/// session's command, when the request carries an agent token
/// (``ProviderSessionRequest/agentToken``): the agent's command line, the variable its
/// token travels in (never a command line; the agent takes it out of the environment
/// before it starts anything), where it keeps the terminals, and where a sandbox or a
/// pod shows the executable. The backend then reports where the agent listens in
/// ``Session/Connection/agentAddress``.
///
/// ```swift
/// environment[SessionAgentLaunch.tokenVariable] = token
/// let argv = SessionAgentLaunch.command(
///     executable: "/sessiongw/sessiongw-agent", listen: "0.0.0.0:7001", home: "/workspace", running: request.command)
/// ```
public enum SessionAgentLaunch {
    /// The executable's name.
    public static let executableName = "sessiongw-agent"
    /// Where a bubblewrap sandbox shows the executable (bound read-only onto its
    /// private `/run`).
    public static let sandboxPath = "/run/sessiongw/sessiongw-agent"
    /// The variable that carries the agent's token.
    public static let tokenVariable = "SESSIONGW_AGENT_TOKEN"
    /// Where the agent keeps the terminals' records and scrollback, under the home.
    public static let stateDirectory = ".sessiongw/terminals"

    /// `sessiongw-agent` in the directory of the running program (the installation's
    /// `bin`, or the build's), if it is there and executable.
    public static func besideRunningProgram() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, Int(PATH_MAX))
        guard count > 0 else { return nil }
        let program = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = program.lastIndex(of: "/") else { return nil }
        let path = String(program[...slash]) + executableName
        return access(path, X_OK) == 0 ? path : nil
    }

    /// `bwrap` options that show the host's `executable` at ``sandboxPath``.
    public static func sandboxBinding(of executable: String) -> [String] {
        ["--ro-bind", executable, sandboxPath]
    }

    /// How the agent measures the home's disk.
    public enum DiskUsage: String, Hashable, Sendable {
        /// The filesystem holding the home, as `df` shows it: a home that is a
        /// filesystem of its own, or a share of one.
        case filesystem
        /// The bytes the files under the home occupy, other mounts excluded, as `du`
        /// counts them: a home on elastic storage (``ProviderCapability/elasticHome``),
        /// whose filesystem has no size of its own. The total is then 0.
        case directory
    }

    /// The agent's command line: it listens on `listen`, keeps its terminals in
    /// `home/.sessiongw/terminals`, starts them in `home`, measures the home's disk as
    /// `diskUsage` says, and supervises `command`.
    public static func command(
        executable: String, listen: String, home: String, diskUsage: DiskUsage = .filesystem, running command: [String]
    ) -> [String] {
        [executable, "--listen", listen, "--token-env", tokenVariable, "--state-directory", "\(home)/\(stateDirectory)",
         "--working-directory", home]
            + (diskUsage == .filesystem ? [] : ["--disk-usage", diskUsage.rawValue]) + ["--"] + command
    }
}
