import BackendStorage
import Foundation
import SessionSDK

/// The batch script of a session's job, and the sandbox script it (and `execute`)
/// runs the command in.
///
/// The job picks a free port on its node (below the kernel's ephemeral port range) and
/// a random access token, then starts the command in a bubblewrap sandbox, the Local
/// backend's, built on the compute node in two stages:
///
/// 1. **Set-up**, with the job's rights in a private mount namespace (a user namespace
///    of its own too when the job does not run as root): the home is bind-mounted at
///    `/workspace`, each data-link at `/workspace/data/<name>` (read-only ones remounted
///    read-only), and the backend's directories on the shared filesystem are hidden.
/// 2. **The sandbox**: when the job runs as root, `setpriv` drops to the unprivileged
///    sandbox user (which the job first gives the home and writable bucket links to);
///    `bwrap` then makes new user, mount, PID, IPC, UTS and cgroup namespaces around a
///    new root holding only the read-only system directories, `/workspace`, a private
///    `/tmp` and `/run`, a minimal `/dev` and its own `/proc`.
///
/// The request's variables never enter the job's shell: the job turns the 0600
/// `environment` file (base and request variables; secret values never pass through
/// slurmctld) and `SESSION_PORT`, `SESSION_TOKEN`, `SESSION_ID`, `HOME=/workspace` into
/// `bwrap` arguments that it passes on standard input (`--args 0`) through a file it
/// removes at once, so only the command runs with them and no command line shows them.
///
/// With an agent executable (the request carried an agent token), the command runs
/// under the session agent, which listens on a second free port on all the node's
/// addresses, takes its token from the `environment` file, and keeps its terminals
/// under the home.
///
/// Only when something accepts connections on `127.0.0.1:$SESSION_PORT` does the job
/// write `connection-<job>.json` (host, port, token, the agent's port; mode 0600):
/// until then the session is STARTING. When the command ends, the job writes its exit status to
/// `exit-<job>` and exits with it.
///
/// Every path is single-quoted into the script; the command is passed as words, never
/// interpolated into shell code.
struct BatchScript: Sendable {
    /// Where the home appears.
    static let workspace = "/workspace"

    /// The session's id.
    var sessionID: String
    /// The session's directory on the shared filesystem.
    var files: SessionFiles
    /// The home to mount at `/workspace`.
    var home: String
    /// The data-link mounts.
    var mounts: [BindMount]
    /// Directories hidden from the command (other sessions' homes, checkpoints, buckets).
    var hiddenDirectories: [String]
    /// The command.
    var command: [String]
    /// The host user and group the sandbox runs as when the job runs as root.
    var sandboxUser: (uid: UInt32, gid: UInt32) = (65534, 65534)
    /// The directory of the emulated buckets (writable links there go to the sandbox user).
    var bucketsDirectory: String = ""
    /// The host paths the sandbox shows, read-only, as its system.
    var systemPaths: [String] = SandboxArguments.systemPaths
    /// The session agent's executable on the compute node; nil runs the command
    /// without it.
    var agentExecutable: String? = nil

    /// The command's words, under the agent when there is one (listening on the port
    /// the job picks, `$agent_port`).
    private var invocation: String {
        guard agentExecutable != nil else { return Self.words(command) }
        let listen = "0.0.0.0:$agent_port"
        return SessionAgentLaunch.command(
            executable: SessionAgentLaunch.sandboxPath, listen: listen, home: Self.workspace, running: command
        ).map { $0 == listen ? "\"\(listen)\"" : Self.quoted($0) }.joined(separator: " ")
    }

    /// The whole batch script.
    var text: String {
        let words = invocation
        return """
        #!/bin/bash
        # sessiongw session \(sessionID): serves the IDE, reports its connection once it does.
        set -u
        dir=\(Self.quoted(files.directory))
        job="${SLURM_JOB_ID:?not running under Slurm}"
        say() { printf 'sessiongw: %s\\n' "$*" >&2; }
        # A free port below the kernel's ephemeral range, which outgoing connections use
        # (a port one of them holds cannot be bound even when nothing listens on it).
        first=10000 low=32768
        read -r low _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
        case "$low" in ''|*[!0-9]*) low=32768 ;; esac
        [ "$low" -gt $(( first + 1000 )) ] || { first=20000 low=60000; }
        port="" agent_port=""
        free_port() {
          for _ in $(seq 1 100); do
            candidate=$(( first + (RANDOM * 32768 + RANDOM) % (low - first) ))
            [ "$candidate" != "$port" ] || continue
            if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return 0; fi
          done
          return 1
        }
        port=$(free_port) || { say "no free TCP port on this node"; exit 70; }
        \(agentExecutable == nil ? "" : "agent_port=$(free_port) || { say \"no second free TCP port on this node\"; exit 70; }")
        token=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \\n')
        [ -d \(Self.workspace) ] || mkdir -p \(Self.workspace) 2>/dev/null || { say "\(Self.workspace) does not exist on this node"; exit 71; }
        # The command's variables, as bwrap arguments read from its standard input.
        arguments=$(umask 077 && mktemp "${TMPDIR:-/tmp}/sessiongw-sandbox.XXXXXX") || { say "cannot create a temporary file"; exit 72; }
        {
          printf '%s\\0' --clearenv
          if [ -r "$dir/environment" ]; then
            while IFS= read -r -d '' entry; do printf '%s\\0' --setenv "${entry%%=*}" "${entry#*=}"; done < "$dir/environment"
          fi
          printf '%s\\0' --setenv SESSION_PORT "$port" --setenv SESSION_TOKEN "$token" --setenv SESSION_ID \(Self.quoted(sessionID)) \\
            --setenv HOME \(Self.workspace)
        } > "$arguments"
        exec 3< "$arguments"
        rm -f "$arguments"
        if [ "$(id -u)" = 0 ]; then
          mode=drop userns=""
          chown -R -P \(sandboxUser.uid):\(sandboxUser.gid) -- \(ownedPaths.map(Self.quoted).joined(separator: " ")) \\
            || { say "cannot give the home to the sandbox user"; exit 73; }
        else
          mode=keep userns="--user --map-root-user"
        fi
        unshare $userns --mount --propagation private -- /bin/sh -c \(Self.quoted(setupScript)) session "$mode" \(words) 0<&3 3<&- &
        child=$!
        exec 3<&-
        trap 'kill -TERM "$child" 2>/dev/null' TERM INT
        host=$(hostname -f 2>/dev/null || hostname)
        while kill -0 "$child" 2>/dev/null; do
          if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            (umask 077; printf '{"job":%s,"host":"%s","port":%s,"token":"%s","agentPort":%s}\\n' "$job" "$host" "$port" "$token" "${agent_port:-null}" > "$dir/.connection-$job.tmp") \\
              && mv -f "$dir/.connection-$job.tmp" "$dir/connection-$job.json"
            say "serving on $host:$port"
            break
          fi
          sleep 0.2
        done
        wait "$child"; code=$?
        while kill -0 "$child" 2>/dev/null; do wait "$child"; code=$?; done
        printf '%s\\n' "$code" > "$dir/exit-$job"
        say "the command exited with status $code"
        exit "$code"

        """
    }

    /// The paths the job gives to the sandbox user when it runs as root: the home and
    /// the directories of writable links to emulated buckets (never a `file://` link's
    /// directory, which belongs to the operator).
    var ownedPaths: [String] {
        [home] + mounts.filter { !$0.readOnly && !bucketsDirectory.isEmpty && $0.source.hasPrefix(bucketsDirectory + "/") }.map(\.source)
    }

    /// The script run inside the outer namespace: `$1` is `drop` (set-up as root: drop
    /// to the sandbox user) or `keep`, the rest is the command.
    var setupScript: String {
        var lines = [
            "set -eu",
            "mode=$1",
            "shift",
            "prepare() {",
            "  if [ -L \"$1\" ] || { [ -e \"$1\" ] && [ ! -d \"$1\" ]; }; then rm -f -- \"$1\"; fi",
            "  mkdir -p -- \"$1\"",
            "}",
            "mount --bind \(Self.quoted(home)) \(Self.workspace)",
        ]
        if !mounts.isEmpty { lines.append("prepare \(Self.workspace)/data") }
        for link in mounts {
            let target = Self.quoted(link.target)
            lines.append("prepare \(target)")
            lines.append("mount --bind \(Self.quoted(link.source)) \(target)")
            if link.readOnly { lines.append("mount -o remount,bind,ro \(target)") }
        }
        for directory in hiddenDirectories {
            let path = Self.quoted(directory)
            lines.append("if [ -d \(path) ]; then mount -t tmpfs -o ro,size=4k,mode=0755 hidden \(path); fi")
        }
        lines += [
            "set -- \(Self.words(SandboxArguments.root(workspace: Self.workspace) + (agentExecutable.map(SessionAgentLaunch.sandboxBinding) ?? []))) -- \"$@\"",
            "for path in \(systemPaths.reversed().map(Self.quoted).joined(separator: " ")); do",
            "  if [ -L \"$path\" ]; then set -- --symlink \"$(readlink \"$path\")\" \"$path\" \"$@\"",
            "  elif [ -d \"$path\" ]; then set -- --ro-bind \"$path\" \"$path\" \"$@\"; fi",
            "done",
            "set -- bwrap --args 0 \(Self.words(SandboxArguments.namespaces)) --die-with-parent \"$@\"",
            "if [ \"$mode\" = drop ]; then",
            "  set -- setpriv \(Self.words(SandboxArguments.dropPrivileges(uid: sandboxUser.uid, gid: sandboxUser.gid))) \"$@\"",
            "fi",
            "exec \"$@\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Arguments for `unshare` that run `command` in the sandbox (for `execute`);
    /// `asRoot` says whether the caller is root. Its standard input must hold
    /// `SandboxArguments.environment(_:)`.
    func unshareArguments(running command: [String], asRoot: Bool) -> [String] {
        (asRoot ? [] : ["--user", "--map-root-user"])
            + ["--mount", "--propagation", "private", "--", "/bin/sh", "-c", setupScript, "session", asRoot ? "drop" : "keep"] + command
    }

    /// `words` quoted, one shell word each, separated by spaces.
    static func words(_ words: [String]) -> String {
        words.map(quoted).joined(separator: " ")
    }

    /// `text` in single quotes, safe as one shell word.
    static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
