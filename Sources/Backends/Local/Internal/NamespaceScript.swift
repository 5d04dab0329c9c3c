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
    /// The session's custom environment, built first when the cache lacks it and shown
    /// read-only at ``EnvironmentStage/path``; nil for the system as it is.
    var environment: EnvironmentStage? = nil

    /// Arguments for `unshare` that run `command` in the sandbox, working directory
    /// `/workspace`. Its standard input must hold `SandboxArguments.environment(_:)`.
    func unshareArguments(running command: [String]) -> [String] {
        (sandboxUser == nil ? ["--user", "--map-root-user"] : [])
            + ["--mount", "--propagation", "private", "--", tools.shell, "-c", setupScript, "session"] + command
    }

    /// The command line, after set-up, that starts `bwrap` (behind `setpriv` when the
    /// gateway is root) with `"$@"` in the sandbox.
    var sandboxCommand: String {
        var words = bubblewrap(["--args", "0"]) + SandboxArguments.root(workspace: Self.workspace)
        if let agentExecutable { words += SessionAgentLaunch.sandboxBinding(of: agentExecutable) }
        if let environment { words += ["--ro-bind", passage ?? environment.cacheDirectory, EnvironmentBuild.path] }
        words += ["--"]
        return "exec " + words.map(Self.quoted).joined(separator: " ") + " \"$@\""
    }

    /// `bwrap` (behind `setpriv` when the gateway is root) with `options`, the
    /// namespaces and the read-only system: what both sandboxes start with.
    private func bubblewrap(_ options: [String] = []) -> [String] {
        var words: [String] = []
        if let sandboxUser {
            words += [tools.setpriv] + SandboxArguments.dropPrivileges(uid: sandboxUser.uid, gid: sandboxUser.gid)
        }
        words += [tools.bwrap] + options + SandboxArguments.namespaces
        for path in system {
            switch path {
            case .directory(let directory): words += ["--ro-bind", directory, directory]
            case .symbolicLink(let link, let target): words += ["--symlink", target, link]
            }
        }
        return words
    }

    /// The hidden directory whose covering tmpfs carries the environment's mount: the
    /// first that no other hidden directory contains, so nothing hidden later covers it.
    private var carrier: String? {
        guard environment != nil else { return nil }
        return hiddenDirectories.first { directory in
            !hiddenDirectories.contains { $0 != directory && directory.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
        }
    }

    /// Where the environment (or, in the build, the build directory) is reachable once
    /// the backend's directories are hidden; nil when nothing is hidden.
    private var passage: String? { carrier.map { "\($0)/.environment" } }

    /// The lines that hide the backend's directories under empty read-only tmpfs. With
    /// an environment, the directory open as file descriptor `exposing` stays reachable
    /// at ``passage``: the tmpfs over the carrier, hidden last, holds a bind mount of it
    /// (made through the descriptor, so the hidden path is never looked up) before it
    /// turns read-only.
    private func hidingLines(exposing descriptor: Int?) -> [String] {
        let mount = Self.quoted(tools.mount)
        let carrier = descriptor == nil ? nil : self.carrier
        var lines = hiddenDirectories.filter { $0 != carrier }.map { directory in
            let path = Self.quoted(directory)
            return "if [ -d \(path) ]; then \(mount) -t tmpfs -o ro,size=4k,mode=0755 hidden \(path); fi"
        }
        if let carrier, let passage, let descriptor {
            lines += [
                "\(mount) -t tmpfs -o size=4k,mode=0755 hidden \(Self.quoted(carrier))",
                "\(Self.quoted(tools.mkdir)) \(Self.quoted(passage))",
                "\(mount) --no-canonicalize --bind /proc/self/fd/\(descriptor) \(Self.quoted(passage))",
                "\(mount) -o remount,ro,size=4k,mode=0755 \(Self.quoted(carrier))",
            ]
        }
        if let descriptor { lines.append("exec \(descriptor)<&-") }
        return lines
    }

    /// The lines that build the environment when the cache lacks it, then open it as
    /// file descriptor 3 for the hiding lines to expose. The build runs in a mount
    /// namespace of its own that hides the backend's directories (exposing the build
    /// directory), in a sandbox with no home and no workspace; on
    /// success its directory becomes the cache entry (unless another build got there
    /// first) and is given to root. A failed build ends the launch; its status file
    /// says why.
    private func environmentLines(_ stage: EnvironmentStage) -> [String] {
        let cache = Self.quoted(stage.cacheDirectory)
        let build = Self.quoted(stage.buildDirectory)
        guard stage.buildsWhenMissing else { return ["exec 3< \(cache)"] }
        let buildCommand = [tools.unshare, "--mount", "--propagation", "private", "--", tools.shell, "-c", buildScript(stage), "build"]
        return [
            "if [ ! -d \(cache) ]; then",
            "  : > \(Self.quoted(stage.buildRunningMarker))",
            "  set +e",
            "  " + buildCommand.map(Self.quoted).joined(separator: " ")
                + " < /dev/null >> \(Self.quoted(stage.buildLog)) 2>&1",
            "  code=$?",
            "  set -e",
            "  if [ \"$code\" -eq 0 ]; then",
            "    if \(Self.quoted(tools.mv)) -T -- \(build) \(cache) 2>/dev/null; then \(Self.quoted(tools.chown)) -R -P 0:0 -- \(cache); "
                + "else \(Self.quoted(tools.rm)) -rf -- \(build); fi",
            "  fi",
            "  printf '%s\\n' \"$code\" > \(Self.quoted(stage.buildExitStatus))",
            "  \(Self.quoted(tools.rm)) -f -- \(Self.quoted(stage.buildRunningMarker))",
            "  if [ \"$code\" -ne 0 ]; then exit 0; fi",
            "fi",
            "exec 3< \(cache)",
        ]
    }

    /// The script of the build's own mount namespace: hide, expose the build
    /// directory, run the build's sandbox.
    func buildScript(_ stage: EnvironmentStage) -> String {
        var buildSandbox = bubblewrap() + [
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/run", "--chdir", "/tmp",
            "--bind", passage ?? stage.buildDirectory, EnvironmentBuild.path, "--clearenv",
        ]
        for (name, value) in stage.sandboxVariables.sorted(by: { $0.key < $1.key }) {
            buildSandbox += ["--setenv", name, value]
        }
        buildSandbox += ["--", tools.shell, "-c", EnvironmentBuild.script, "environment-build"] + stage.packages
        // The descriptor is opened inside the build's namespace: a bind mount's source
        // must be a mount of the namespace that makes it.
        return (["exec 4< \(Self.quoted(stage.buildDirectory))"] + hidingLines(exposing: 4)
            + ["exec " + buildSandbox.map(Self.quoted).joined(separator: " ")]).joined(separator: "\n")
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
        if let environment { lines += environmentLines(environment) }
        lines += hidingLines(exposing: environment == nil ? nil : 3)
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
