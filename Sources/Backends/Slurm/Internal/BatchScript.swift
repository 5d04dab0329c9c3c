/// The batch script of a session's job, and the namespace script it (and `execute`)
/// runs the command in.
///
/// The job picks a free port on its node (below the kernel's ephemeral port range) and
/// a random access token, exports `SESSION_PORT`, `SESSION_TOKEN`, `SESSION_ID` and
/// `HOME=/workspace` (after the request's variables, read from a 0600 file so secret
/// values never pass through slurmctld), and starts the command in a private user and
/// mount namespace: the home is bind-mounted at `/workspace`, each data-link at
/// `/workspace/data/<name>` (read-only ones remounted read-only), and the backend's
/// directories on the shared filesystem are hidden under empty read-only tmpfs. The command then runs in a
/// second, nested user namespace, where the inherited mounts are locked: it cannot
/// remount a read-only link read-write, even as root there. This is the Local backend's
/// mechanism, applied on the compute node.
///
/// Only when something accepts connections on `127.0.0.1:$SESSION_PORT` does the job
/// write `connection-<job>.json` (host, port, token; mode 0600): until then the
/// session is STARTING. When the command ends, the job writes its exit status to
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

    /// The whole batch script.
    var text: String {
        let words = command.map(Self.quoted).joined(separator: " ")
        return """
        #!/bin/bash
        # sessiongw session \(sessionID): serves the IDE, reports its connection once it does.
        set -u
        dir=\(Self.quoted(files.directory))
        job="${SLURM_JOB_ID:?not running under Slurm}"
        say() { printf 'sessiongw: %s\\n' "$*" >&2; }
        if [ -r "$dir/environment" ]; then
          while IFS= read -r -d '' entry; do export "$entry"; done < "$dir/environment"
        fi
        # A free port below the kernel's ephemeral range, which outgoing connections use
        # (a port one of them holds cannot be bound even when nothing listens on it).
        first=10000 low=32768
        read -r low _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
        case "$low" in ''|*[!0-9]*) low=32768 ;; esac
        [ "$low" -gt $(( first + 1000 )) ] || { first=20000 low=60000; }
        port=""
        for _ in $(seq 1 100); do
          candidate=$(( first + (RANDOM * 32768 + RANDOM) % (low - first) ))
          if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
        done
        [ -n "$port" ] || { say "no free TCP port on this node"; exit 70; }
        token=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \\n')
        export SESSION_PORT="$port" SESSION_TOKEN="$token" SESSION_ID=\(Self.quoted(sessionID)) HOME=\(Self.workspace)
        [ -d \(Self.workspace) ] || mkdir -p \(Self.workspace) 2>/dev/null || { say "\(Self.workspace) does not exist on this node"; exit 71; }
        unshare --user --map-root-user --mount --propagation private -- /bin/sh -c \(Self.quoted(setupScript)) session \(words) &
        child=$!
        trap 'kill -TERM "$child" 2>/dev/null' TERM INT
        host=$(hostname -f 2>/dev/null || hostname)
        while kill -0 "$child" 2>/dev/null; do
          if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            (umask 077; printf '{"job":%s,"host":"%s","port":%s,"token":"%s"}\\n' "$job" "$host" "$port" "$token" > "$dir/.connection-$job.tmp") \\
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

    /// The script run inside the outer namespace; `"$@"` is the command.
    var setupScript: String {
        var lines = [
            "set -eu",
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
        lines.append("cd \(Self.workspace)")
        lines.append("exec unshare --user --map-root-user --mount -- \"$@\"")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Arguments for `unshare` that run `command` in the namespace (for `execute`).
    func unshareArguments(running command: [String]) -> [String] {
        ["--user", "--map-root-user", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", setupScript, "session"] + command
    }

    /// `text` in single quotes, safe as one shell word.
    static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
