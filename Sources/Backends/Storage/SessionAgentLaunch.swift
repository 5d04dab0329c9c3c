import Foundation

/// How a backend starts the session agent (`sessiongw-agent`) as the supervisor of a
/// session's command: where it finds the executable, where the session sees it, and
/// the agent's command line. The agent's token travels in the variable
/// ``tokenVariable``, never on a command line; the agent takes it out of the
/// environment before it starts anything.
package enum SessionAgentLaunch {
    /// The executable's name.
    package static let executableName = "sessiongw-agent"
    /// Where a sandbox shows the executable (bound read-only onto its private `/run`).
    package static let sandboxPath = "/run/sessiongw/sessiongw-agent"
    /// The variable that carries the agent's token.
    package static let tokenVariable = "SESSIONGW_AGENT_TOKEN"
    /// Where the agent keeps the terminals' records and scrollback, under the home.
    package static let stateDirectory = ".sessiongw/terminals"

    /// `sessiongw-agent` in the directory of the running program (the installation's
    /// `bin`, or the build's), if it is there and executable.
    package static func besideRunningProgram() -> String? {
        guard let program = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let path = URL(fileURLWithPath: program).deletingLastPathComponent().appendingPathComponent(executableName).path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// `bwrap` options that show the host's `executable` at ``sandboxPath``.
    package static func sandboxBinding(of executable: String) -> [String] {
        ["--ro-bind", executable, sandboxPath]
    }

    /// The agent's command line: it listens on `listen`, keeps its terminals in
    /// `home/.sessiongw/terminals`, starts them in `home`, and supervises `command`.
    package static func command(executable: String, listen: String, home: String, running command: [String]) -> [String] {
        [
            executable, "--listen", listen, "--token-env", tokenVariable,
            "--state-directory", "\(home)/\(stateDirectory)", "--working-directory", home, "--",
        ] + command
    }
}
