/// The shell scripts that put a command into a session's private world: a user and
/// mount namespace where the session's home is bind-mounted at `/workspace`, each
/// data-link's directory at `/workspace/data/<name>` (read-only ones remounted
/// read-only), and the backend's own directories hidden under empty read-only tmpfs.
///
/// After mounting, the script enters a second, nested user and mount namespace before
/// running the command. Mounts inherited into a namespace owned by a less privileged
/// user namespace are *locked*: the command, although it is root there, can neither
/// remount a read-only link read-write nor unmount it. That is what makes read-only
/// links refuse writes for real.
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

    /// Arguments for `unshare` that run `command` in the namespace, working directory
    /// `/workspace`.
    func unshareArguments(running command: [String]) -> [String] {
        ["--user", "--map-root-user", "--mount", "--propagation", "private", "--", tools.shell, "-c", setupScript, "session"]
            + command
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
        lines.append("cd \(Self.workspace)")
        lines.append("exec \(Self.quoted(tools.unshare)) --user --map-root-user --mount -- \"$@\"")
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
