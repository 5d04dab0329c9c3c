import BackendStorage
import SessionSDK

/// The shell scripts that put a command into a session's sandbox, in two stages.
///
/// 1. **Set-up**, with the gateway's rights in a private mount namespace (a user
///    namespace of its own too when the gateway is not root): the session's home is
///    bind-mounted at `/workspace`, each data-link's directory at
///    `/workspace/data/<name>` (read-only ones remounted read-only), and the backend's
///    own directories are hidden under empty read-only tmpfs.
/// 2. **The sandbox**: when the gateway is root, `setpriv` first drops to the
///    unprivileged sandbox user with no supplementary groups, no capabilities and no
///    new privileges. Then `bwrap` (bubblewrap) makes new user, mount, PID, IPC, UTS
///    and cgroup namespaces around a new root that holds only the read-only system
///    directories, `/workspace` (with its links), a private `/tmp` and `/run`, a
///    minimal `/dev` and the namespace's own `/proc`. The command runs there as uid
///    and gid 1000, with no capabilities and no way to make further user namespaces:
///    it can neither remount a read-only link nor see the host's processes.
///
/// Nothing of the user's environment reaches the set-up: the sandbox's variables
/// (`--clearenv`, then one `--setenv` per variable) are read by `bwrap` from its
/// standard input (`--args 0`), so they appear on no command line and only the
/// session's own command runs with them.
///
/// Every path is single-quoted into the script; the command itself is passed as
/// arguments (`"$@"`), never interpolated.
struct NamespaceScript: Hashable, Sendable {
    /// Where the home appears.
    static let workspace = "/workspace"

    /// The programs to run.
    var tools: ToolPaths
    /// The host directory to mount at `/workspace`.
    var home: String
    /// The data-link mounts.
    var mounts: [BindMount]
    /// Host directories to hide (the backend's root and bucket directories), so a
    /// session cannot reach other sessions' homes or other buckets through their host
    /// paths.
    var hiddenDirectories: [String]
    /// What the sandbox shows of the host's system, read-only.
    var system: [SystemPath] = []
    /// The host user the sandbox runs as, when the gateway is root; nil runs it as the
    /// gateway's own user.
    var sandboxUser: SandboxUser? = nil
    /// The host's session agent executable, shown read-only at
    /// `SessionAgentLaunch.sandboxPath`; nil when the session runs without it.
    var agentExecutable: String? = nil

    /// Arguments for `unshare` that run `command` in the sandbox, working directory
    /// `/workspace`. Its standard input must hold `SandboxArguments.environment(_:)`.
    func unshareArguments(running command: [String]) -> [String] {
        (sandboxUser == nil ? ["--user", "--map-root-user"] : [])
            + ["--mount", "--propagation", "private", "--", tools.shell, "-c", setupScript, "session"] + command
    }

    /// The command line, after set-up, that starts `bwrap` (behind `setpriv` when the
    /// gateway is root) with `"$@"` in the sandbox.
    var sandboxCommand: String {
        var words: [String] = []
        if let sandboxUser {
            words += [tools.setpriv] + SandboxArguments.dropPrivileges(uid: sandboxUser.uid, gid: sandboxUser.gid)
        }
        words += [tools.bwrap, "--args", "0"] + SandboxArguments.namespaces
        for path in system {
            switch path {
            case .directory(let directory): words += ["--ro-bind", directory, directory]
            case .symbolicLink(let link, let target): words += ["--symlink", target, link]
            }
        }
        words += SandboxArguments.root(workspace: Self.workspace)
        if let agentExecutable { words += SessionAgentLaunch.sandboxBinding(of: agentExecutable) }
        words += ["--"]
        return "exec " + words.map(Self.quoted).joined(separator: " ") + " \"$@\""
    }

    /// The script run inside the outer namespace; `"$@"` is the command.
    var setupScript: String {
        let mount = Self.quoted(tools.mount)
        var lines = [
            "set -eu",
            "prepare() {",
            "  if [ -L \"$1\" ] || { [ -e \"$1\" ] && [ ! -d \"$1\" ]; }; then \(Self.quoted(tools.rm)) -f -- \"$1\"; fi",
            "  \(Self.quoted(tools.mkdir)) -p -- \"$1\"",
            "}",
            "\(mount) --bind \(Self.quoted(home)) \(Self.workspace)",
        ]
        if !mounts.isEmpty {
            lines.append("prepare \(Self.workspace)/data")
        }
        for link in mounts {
            let target = Self.quoted(link.target)
            lines.append("prepare \(target)")
            lines.append("\(mount) --bind \(Self.quoted(link.source)) \(target)")
            if link.readOnly {
                lines.append("\(mount) -o remount,bind,ro \(target)")
            }
        }
        for directory in hiddenDirectories {
            let path = Self.quoted(directory)
            lines.append("if [ -d \(path) ]; then \(mount) -t tmpfs -o ro,size=4k,mode=0755 hidden \(path); fi")
        }
        lines.append(sandboxCommand)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The launcher, run as a new session leader by `setsid --fork`: it records its
    /// process id, runs `"$@"` (the `unshare` command line), and records the exit
    /// status when that ends on its own. A launcher killed by a signal (pause, delete)
    /// records nothing.
    static func launcherScript(pidFile: String, exitStatusFile: String) -> String {
        """
        printf '%s\\n' "$$" > \(quoted(pidFile))
        "$@"
        code=$?
        printf '%s\\n' "$code" > \(quoted(exitStatusFile))
        exit "$code"

        """
    }

    /// `text` in single quotes, safe as one shell word.
    static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
