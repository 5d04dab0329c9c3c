import Foundation
import SessionSDK

/// The shell scripts the backend's jobs run, as `/bin/sh -c SCRIPT NAME ARGS...`: the
/// session's own command (or an executed command) is passed as arguments (`"$@"`),
/// never interpolated. Each needs `/bin/sh`, `curl` and `tar` in the image.
enum JobScripts {
    /// The line a session job prints (to its CloudWatch Logs stream) when it knows its
    /// address: `sessiongw-endpoint HOST PORT [AGENT_PORT]` (``JobEndpoint``).
    static let endpointMarker = "sessiongw-endpoint"

    /// The session job: restores a clone's checkpoint once (`SESSIONGW_RESTORE_URL`,
    /// marked done by `.sessiongw/restored-<id>` in the home), picks the ports (free
    /// ones where `SESSION_PORT` or `SESSIONGW_AGENT_PORT` is 0), announces
    /// `sessiongw-endpoint HOST PORT [AGENT_PORT]`, and execs the session's command in
    /// the home: under the session agent at `SESSIONGW_AGENT_PATH` (in the image) when
    /// that is set, its token in `SESSIONGW_AGENT_TOKEN` (from Secrets Manager).
    static let session = """
        set -u
        home="$SESSIONGW_HOME"
        export HOME="$home"
        mkdir -p "$home/.sessiongw"
        if [ -n "${SESSIONGW_RESTORE_URL:-}" ] && [ ! -e "$home/.sessiongw/restored-$SESSIONGW_RESTORE_ID" ]; then
          archive=$(mktemp)
          if curl -fsS -o "$archive" "$SESSIONGW_RESTORE_URL" && tar xzf "$archive" -C "$home"; then
            rm -f "$archive"
            touch "$home/.sessiongw/restored-$SESSIONGW_RESTORE_ID"
          else
            rm -f "$archive"
            echo "sessiongw: restoring checkpoint $SESSIONGW_RESTORE_ID failed"
            exit 3
          fi
        fi
        port="${SESSION_PORT:-8888}"
        agent="${SESSIONGW_AGENT_PATH:-}"
        agent_port=""
        [ -z "$agent" ] || agent_port="${SESSIONGW_AGENT_PORT:-7001}"
        if [ "$port" = 0 ] || [ "$agent_port" = 0 ]; then
          free=$(python3 -c 'import socket; a, b = socket.socket(), socket.socket(); a.bind(("", 0)); b.bind(("", 0)); print(a.getsockname()[1], b.getsockname()[1])')
          [ "$port" != 0 ] || port=${free% *}
          [ "$agent_port" != 0 ] || agent_port=${free#* }
        fi
        export SESSION_PORT="$port"
        host="${SESSIONGW_ADVERTISE_HOST:-}"
        if [ -z "$host" ]; then host=$(hostname -i 2>/dev/null | cut -d' ' -f1); fi
        echo "\(endpointMarker) $host $port${agent_port:+ $agent_port}"
        cd "$home"
        [ -z "$agent" ] || \(agentInvocation)
        exec "$@"
        """

    /// `exec` of the agent at `$agent` on `$agent_port`, supervising `"$@"`, in the
    /// words of ``SessionAgentLaunch/command(executable:listen:home:diskUsage:running:)``;
    /// it measures the home by what its files occupy, as EFS gives the home no size of
    /// its own (``ProviderCapability/elasticHome``).
    private static var agentInvocation: String {
        let (executable, listen, home) = ("@executable@", "@listen@", "@home@")
        let words = SessionAgentLaunch.command(
            executable: executable, listen: listen, home: home, diskUsage: .directory, running: []).map { word in
            switch word {
            case executable: "\"$agent\""
            case listen: "\"0.0.0.0:$agent_port\""
            default: "\"" + word.replacingOccurrences(of: home, with: "$home") + "\""
            }
        }
        return "exec " + words.joined(separator: " ") + " \"$@\""
    }

    /// An execute job: runs `"$@"` in the home and uploads its standard output, error
    /// and exit status to the presigned URLs `SESSIONGW_OUT_URL`, `SESSIONGW_ERR_URL`,
    /// `SESSIONGW_CODE_URL`.
    static let execute = """
        home="$SESSIONGW_HOME"
        export HOME="$home"
        out=$(mktemp); err=$(mktemp); status=$(mktemp)
        if cd "$home"; then "$@" >"$out" 2>"$err" </dev/null; code=$?; else code=126; fi
        printf '%s' "$code" >"$status"
        curl -fsS -T "$out" "$SESSIONGW_OUT_URL" && curl -fsS -T "$err" "$SESSIONGW_ERR_URL" \\
          && curl -fsS -T "$status" "$SESSIONGW_CODE_URL"
        uploaded=$?
        rm -f "$out" "$err" "$status"
        exit "$uploaded"
        """

    /// A checkpoint job: a tar.gz of the home without `data/` (mounted data-links) and
    /// `.sessiongw/`, uploaded to the presigned URL `SESSIONGW_PUT_URL`.
    static let checkpoint = """
        set -u
        cd "$SESSIONGW_HOME" || exit 3
        archive=$(mktemp)
        tar czf "$archive" --exclude=./data --exclude=./.sessiongw . || [ $? -eq 1 ] || { rm -f "$archive"; exit 4; }
        curl -fsS -T "$archive" "$SESSIONGW_PUT_URL"
        code=$?
        rm -f "$archive"
        exit "$code"
        """
}
