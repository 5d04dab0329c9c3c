/// The parts of a session's bubblewrap sandbox that the Local and Slurm backends share:
/// the namespaces, the new root around `/workspace`, the system paths it shows, the
/// privilege drop in front of it, and the variables it hands the command.
package enum SandboxArguments {
    /// The uid and gid the command has inside the sandbox.
    package static let sandboxID = 1000

    /// The host paths shown read-only as the sandbox's system, by default.
    package static let systemPaths = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc", "/opt"]

    /// `bwrap` options for new user, PID, IPC, UTS and cgroup namespaces, no nested user
    /// namespaces, and the command as uid and gid ``sandboxID``.
    package static let namespaces = [
        "--unshare-user", "--disable-userns", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        "--hostname", "session", "--uid", "\(sandboxID)", "--gid", "\(sandboxID)",
    ]

    /// `bwrap` options for the rest of the new root: `/proc`, a minimal `/dev`, private
    /// `/tmp` and `/run`, and `workspace` bound and made the working directory.
    package static func root(workspace: String) -> [String] {
        ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/run", "--bind", workspace, workspace, "--chdir", workspace]
    }

    /// `setpriv` options that drop to `uid`/`gid` with no groups, no capabilities and
    /// no new privileges.
    package static func dropPrivileges(uid: UInt32, gid: UInt32) -> [String] {
        ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--inh-caps=-all", "--no-new-privs"]
    }

    /// The sandbox's standard input (`bwrap --args 0`): options that give the command
    /// exactly `variables`, NUL-separated, so that no command line shows them.
    package static func environment(_ variables: [String: String]) -> [UInt8] {
        var arguments = ["--clearenv"]
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
            arguments += ["--setenv", name, value]
        }
        return arguments.flatMap { Array($0.utf8) + [0] }
    }
}
