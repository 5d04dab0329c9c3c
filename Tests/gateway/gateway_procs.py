"""Starting and stopping a real `sessiongw serve` for the gateway tests."""
import glob
import http.client
import os
import re
import signal
import subprocess
import tempfile
import textwrap
import time

import testkit

ROOT = str(testkit.REPO_ROOT)
BIN_DIR = str(testkit.BIN_DIR)
# When set (scripts/test.sh sets it), every gateway logs at debug level into this folder
# and the log is kept, so that scripts/check-secrets.sh can search the whole run's logs.
LOG_DIR = os.environ.get("SESSIONGW_TEST_LOG_DIR")
# `sessiongw serve` prints "connection proxy listening on URL: ..." when the proxy is on.
PROXY_LINE = re.compile(r"connection proxy listening on (https?://\S+): ")
# Where a gateway's Local backend keeps its sessions, in its data directory.
# Where the Local environments keep their sessions: DATA_DIR/environments/ID/ in the
# default workspace, DATA_DIR/workspaces/WORKSPACE/environments/ID/ in others.
LOCAL_SESSIONS = [os.path.join("environments", "*", "local", "sessions"),
                  os.path.join("workspaces", "*", "environments", "*", "local", "sessions")]


def sessiongw(*args, check=True):
    """Runs the sessiongw binary under test; the CompletedProcess, output as text."""
    return subprocess.run([os.path.join(BIN_DIR, "sessiongw"), *args], capture_output=True, text=True, check=check)


def write_python_preset_config(path, preset, script, settings=""):
    """Writes a gateway configuration to `path`: the YAML `settings` (top-level keys),
    then one preset `preset` whose command runs the Python `script` (it serves on
    $SESSION_PORT)."""
    body = textwrap.indent(script.strip("\n"), " " * 10)
    with open(path, "w") as handle:
        handle.write(f"""{settings}
presets:
  - id: {preset}
    images: [{{name: python3, reference: python3}}]
    podSizes: [{{name: small, cpu: 0.5, memory: 1GiB}}]
    command:
      - python3
      - -c
      - |
{body}
""")


free_port = testkit.free_port


class Gateway:
    """A `sessiongw serve` process on a data directory, restartable on the same one."""

    def __init__(self, data_dir=None, config=None):
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="sessiongw-test-")
        self.config = config
        self.port = free_port()
        self.server = None
        # The connection proxy's URL, such as http://127.0.0.1:8081, once started; None when it is off.
        self.proxy_url = None
        if LOG_DIR:
            os.makedirs(LOG_DIR, exist_ok=True)
            self.log_path = os.path.join(LOG_DIR, f"gateway-{os.path.basename(self.data_dir)}.log")
        else:
            self.log_path = os.path.join(self.data_dir, "gateway.log")

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    @property
    def token(self):
        with open(os.path.join(self.data_dir, "admin-token")) as handle:
            return handle.read().strip()

    def start(self, timeout=60):
        """Starts `sessiongw serve` and reads what it prints on starting: the listening
        addresses and, when the connection proxy is on, its URL (``proxy_url``)."""
        self.server = testkit.LoggedProcess(
            [os.path.join(BIN_DIR, "sessiongw"), "serve", "--data-dir", self.data_dir, "--listen", self.address,
             "--log-level", "debug" if LOG_DIR else "notice"] + (["--config", self.config] if self.config else []),
            self.log_path, "gateway")
        # Printed after every address, the proxy's included.
        self.server.wait_for(r"^authenticate with:", timeout)
        proxies = [match for match in map(PROXY_LINE.match, list(self.server.lines)) if match]
        self.proxy_url = proxies[-1].group(1) if proxies else None
        return self

    @property
    def process(self):
        """The running `sessiongw serve` (a subprocess.Popen)."""
        return self.server.process

    def kill(self):
        """SIGKILL: no graceful shutdown."""
        self.process.kill()
        self.server.stop()

    def stop(self):
        if self.server:
            self.server.stop()

    def local_session_ids(self):
        """The ids of the sessions this gateway's Local backend has a directory for
        (whether or not its store knows them)."""
        return {name for pattern in LOCAL_SESSIONS for sessions in glob.glob(os.path.join(self.data_dir, pattern))
                for name in os.listdir(sessions)}

    def kill_session_processes(self):
        """SIGKILLs every process of a session this gateway's Local backend started.
        Sessions outlive the gateway by design; a test's own must not outlive the test."""
        kill_session_processes(self.local_session_ids())

    def fetch(self, session_id, path, workspace="default"):
        """(status, body) of GET `path` of a session's IDE through the connection proxy,
        as the gateway's administrator: a file of its workspace, for the test IDEs that
        serve it."""
        host, port = self.proxy_url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=15)
        try:
            connection.request("GET", f"/sessions/{workspace}/{session_id}/{path}",
                               headers={"Authorization": f"Bearer {self.token}"})
            response = connection.getresponse()
            return response.status, response.read().decode(errors="replace")
        finally:
            connection.close()

    def unmount_homes(self):
        """Unmounts the growing homes (loop-mounted filesystems) under the data directory,
        so that their loop devices go; after kill_session_processes."""
        with open("/proc/self/mountinfo") as mounts:
            points = [line.split(" ")[4] for line in mounts]
        for point in sorted(points, reverse=True):
            if point.startswith(self.data_dir.rstrip("/") + "/"):
                subprocess.run(["umount", "-l", point], check=False)

    def tail(self, lines=30):
        return self.server.log_tail(lines) if self.server else ""


def kill_session_processes(session_ids):
    """SIGKILLs every process on this machine started for one of `session_ids`."""
    for session, pids in session_processes().items():
        if session in session_ids:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def session_processes():
    """{session id: [pid, ...]} for every process on this machine started for a session."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environ = handle.read().split(b"\0")
        except OSError:
            continue
        for variable in environ:
            if variable.startswith(b"SESSION_ID="):
                found.setdefault(variable[len(b"SESSION_ID="):].decode(), []).append(int(entry))
    return found
