"""The emulator's container runtime (scripts/lib/kube_api/runtime.py) and its exec
WebSocket (scripts/lib/kube_api/websocket.py), with real namespaced processes.

Needs root (or user namespaces), util-linux and Linux; every test uses its own pod IPs
from 127.88.254.0/24, away from the ones the emulator's kubelet hands out.
"""
import base64
import hashlib
import http.server
import json
import os
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "lib"))

from kube_api.runtime import ContainerLaunch, Mount, PodRuntime  # noqa: E402
from kube_api.websocket import serve_exec  # noqa: E402

PYTHON = sys.executable
ENV = {"PATH": f"{os.path.dirname(PYTHON)}:/usr/local/bin:/usr/bin:/bin", "GREETING": "hello"}
_next_ip = iter(range(10, 250))


def pod_ip():
    """A pod IP no other test uses."""
    return f"127.88.254.{next(_next_ip)}"


def launch(argv, ip, mounts=(), ports=(), working_dir=None, env=None):
    """A ContainerLaunch with the test environment."""
    return ContainerLaunch(argv=list(argv), env=dict(ENV, **(env or {})), working_dir=working_dir,
                           mounts=list(mounts), ports=list(ports), pod_ip=ip)


def wait_until(predicate, timeout=10.0, what="condition"):
    """Polls `predicate` until it is true; fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def http_server(port):
    """A container command serving the working directory over HTTP on `port`."""
    return [PYTHON, "-m", "http.server", "--bind", "127.0.0.1", str(port)]


@pytest.fixture
def runtime(tmp_path):
    """A PodRuntime on a fresh state directory; everything it started is stopped after."""
    instance = PodRuntime(str(tmp_path / "state"))
    yield instance
    instance.shutdown()


def test_two_pods_serve_the_same_port_at_their_own_pod_ips(runtime, tmp_path):
    sites = {}
    for name in ("a", "b"):
        site = tmp_path / f"site-{name}"
        site.mkdir()
        (site / "index.html").write_text(f"pod {name}\n")
        ip = pod_ip()
        # /workspace/www need not exist on the host: the runtime creates it inside.
        runtime.start(f"ns/{name}/web", launch(http_server(8888), ip, ports=[8888], working_dir="/workspace/www",
                                               mounts=[Mount(str(site), "/workspace/www", True)]))
        sites[name] = ip
    for name, ip in sites.items():
        wait_until(lambda: runtime.http_ready(f"ns/{name}/web", 8888, "/index.html"), what=f"pod {name} to serve")
        assert runtime.tcp_ready(f"ns/{name}/web", 8888)
        assert not runtime.tcp_ready(f"ns/{name}/web", 8889)
        with urllib.request.urlopen(f"http://{ip}:8888/index.html", timeout=5) as response:
            assert response.read() == f"pod {name}\n".encode()
    assert not os.path.exists("/workspace/www")


def test_read_only_mounts_refuse_writes_and_read_write_mounts_reach_the_host(runtime, tmp_path):
    shared, private = tmp_path / "shared", tmp_path / "private"
    shared.mkdir()
    private.mkdir()
    (shared / "model.txt").write_text("weights\n")
    script = ("cat /data/shared/model.txt > /data/private/copy.txt; "
              "if echo x > /data/shared/new.txt; then echo wrote; else echo refused; fi; exec sleep 60")
    key = "ns/mounts/main"
    runtime.start(key, launch(["sh", "-c", script], pod_ip(), mounts=[
        Mount(str(shared), "/data/shared", True), Mount(str(private), "/data/private", False)]))
    wait_until(lambda: b"refused" in runtime.logs(key) or b"wrote" in runtime.logs(key), what="the script")
    assert b"refused" in runtime.logs(key)
    assert b"Read-only file system" in runtime.logs(key)
    assert (private / "copy.txt").read_text() == "weights\n"

    attempt = runtime.exec(key, ["sh", "-c", "mount -o remount,rw /data/shared; touch /data/shared/exec.txt; "
                                             "echo later > /data/private/exec.txt"])
    _, err = attempt.communicate(timeout=10)
    assert attempt.returncode == 0
    assert b"Read-only file system" in err
    assert sorted(os.listdir(shared)) == ["model.txt"]
    assert (private / "exec.txt").read_text() == "later\n"


def test_exec_runs_in_the_container_with_its_environment_and_working_directory(runtime, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    key = "ns/exec/main"
    runtime.start(key, launch(["sleep", "60"], pod_ip(), working_dir="/workspace/home",
                              mounts=[Mount(str(home), "/workspace/home", False)], env={"TOKEN_HINT": "x"}))
    process = runtime.exec(key, ["sh", "-c", "echo out; echo err >&2; pwd; echo $GREETING; hostname; exit 3"])
    out, err = process.communicate(timeout=10)
    assert (out, err, process.returncode) == (b"out\n/workspace/home\nhello\nexec\n", b"err\n", 3)

    echo = runtime.exec(key, ["cat"], stdin=True)
    assert echo.communicate(b"typed", timeout=10) == (b"typed", b"")
    assert runtime.exec_ready(key, ["test", "-d", "/workspace/home"])
    assert not runtime.exec_ready(key, ["test", "-e", "/workspace/home/missing"])
    assert not runtime.exec_ready(key, ["sleep", "5"], timeout=0.3)


def test_stop_kills_every_process_of_a_container_that_ignores_sigterm(runtime):
    marker = "1234.5678"  # a unique sleep argument, to find the double-forked process
    script = (f"import os, signal, subprocess, http.server\n"
              f"signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
              f"if os.fork() == 0:\n"
              f"    os.setsid()\n"
              f"    subprocess.Popen(['sleep', '{marker}'], start_new_session=True)\n"
              f"    os._exit(0)\n"
              f"http.server.HTTPServer(('127.0.0.1', 8888), http.server.SimpleHTTPRequestHandler).serve_forever()\n")
    ip, key = pod_ip(), "ns/stubborn/main"
    runtime.start(key, launch([PYTHON, "-c", script], ip, ports=[8888]))
    wait_until(lambda: runtime.tcp_ready(key, 8888), what="the server")
    socket.create_connection((ip, 8888), timeout=2).close()
    wait_until(lambda: _processes_with(marker), what="the double-forked child")
    assert runtime.exit_code(key) is None

    started = time.monotonic()
    runtime.stop(key, 1.0)
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 2.0
    assert runtime.exit_code(key) == 137
    assert _processes_with(marker) == []
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((ip, 8888), timeout=2)
    assert not runtime.tcp_ready(key, 8888)


def _processes_with(argument):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if argument.encode() in cmdline.read().split(b"\0"):
                    found.append(int(pid))
        except OSError:
            continue
    return found


def test_containers_of_one_pod_share_localhost(runtime, tmp_path):
    ip = pod_ip()
    runtime.start("ns/pair/server", launch(http_server(9000), ip, working_dir="/"))
    wait_until(lambda: runtime.tcp_ready("ns/pair/server", 9000), what="the server")
    runtime.start("ns/pair/client", launch(["sleep", "60"], ip))
    fetch = runtime.exec("ns/pair/client", [PYTHON, "-c", "import urllib.request; print(urllib.request.urlopen("
                                                          "'http://127.0.0.1:9000/').status)"])
    assert fetch.communicate(timeout=10)[0] == b"200\n"


def test_a_container_that_handles_sigterm_stops_at_once_with_its_status(runtime):
    key = "ns/polite/main"
    runtime.start(key, launch(["sh", "-c", "trap 'echo bye; exit 0' TERM; while :; do sleep 0.1; done"], pod_ip()))
    time.sleep(0.3)
    started = time.monotonic()
    runtime.stop(key, 3.0)
    assert time.monotonic() - started < 1.5
    assert runtime.exit_code(key) == 0
    assert runtime.logs(key).endswith(b"bye\n")


def test_logs_keep_stdout_and_stderr_after_exit_until_forgotten(runtime):
    key = "ns/logs/main"
    runtime.start(key, launch(["sh", "-c", "echo one; echo two >&2; echo three; exit 4"], pod_ip()))
    wait_until(lambda: runtime.exit_code(key) is not None, what="the container to exit")
    assert runtime.exit_code(key) == 4
    assert runtime.logs(key) == b"one\ntwo\nthree\n"
    assert runtime.logs(key, tail_lines=2) == b"two\nthree\n"
    runtime.stop(key, 1)
    assert runtime.logs(key) == b"one\ntwo\nthree\n"
    runtime.forget(key)
    assert runtime.logs(key) == b""
    assert runtime.exit_code(key) is None


def test_start_reports_a_command_that_does_not_exist(runtime):
    with pytest.raises(RuntimeError, match="not-a-command.*not found"):
        runtime.start("ns/broken/main", launch(["not-a-command"], pod_ip()))


# --- the exec WebSocket -------------------------------------------------------------------

class _ExecHandler(http.server.BaseHTTPRequestHandler):
    """GET /exec?command=...&stdin=true runs the command in the test container."""

    runtime = None
    key = None

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        stdin = query.get("stdin") == ["true"]
        process = self.runtime.exec(self.key, query["command"], stdin=stdin)
        serve_exec(self, process, stdout=True, stderr=True, stdin=stdin)

    def log_message(self, *args):
        pass


@pytest.fixture
def exec_server(runtime, tmp_path, request):
    """(host, port, TLS client context or None) of an HTTP server (HTTPS with the
    indirect parameter "tls", as the emulator serves) whose /exec runs commands in a
    sleeping container."""
    key = "ns/ws/main"
    runtime.start(key, launch(["sleep", "60"], pod_ip()))
    handler = type("Handler", (_ExecHandler,), {"runtime": runtime, "key": key})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    client_context = None
    if getattr(request, "param", "plain") == "tls":
        certificate, key_file = tmp_path / "server.crt", tmp_path / "server.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1",
                        "-keyout", str(key_file), "-out", str(certificate)], check=True, capture_output=True)
        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.load_cert_chain(certificate, key_file)
        server.socket = server_context.wrap_socket(server.socket, server_side=True)
        client_context = ssl.create_default_context(cafile=str(certificate))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address + (client_context,)
    server.shutdown()
    server.server_close()


class _Client:
    """A minimal RFC 6455 client: masked frames, as a browser or client-go sends them."""

    def __init__(self, server, command, protocols, stdin=False):
        host, port, tls = server
        self.socket = socket.create_connection((host, port), timeout=10)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_hostname=host)
        query = urllib.parse.urlencode([("command", part) for part in command] + [("stdin", str(stdin).lower())])
        key = base64.b64encode(os.urandom(16)).decode()
        self.socket.sendall((f"GET /exec?{query} HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\n"
                             f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                             f"Sec-WebSocket-Protocol: {protocols}\r\n\r\n").encode())
        self.buffer = b""
        head = self._read_until(b"\r\n\r\n").decode()
        self.status = int(head.split()[1])
        self.headers = {line.split(":", 1)[0].lower(): line.split(":", 1)[1].strip()
                        for line in head.split("\r\n")[1:] if ":" in line}
        expected = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
        self.accept_ok = self.headers.get("sec-websocket-accept") == expected.decode()

    def _read_until(self, marker):
        while marker not in self.buffer:
            chunk = self.socket.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(marker, 1)
        return head

    def _read_exactly(self, count):
        while len(self.buffer) < count:
            chunk = self.socket.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def send_frame(self, opcode, payload, final=True, masked=True):
        """Sends one frame."""
        length = len(payload)
        first = (0x80 if final else 0) | opcode
        mask_bit = 0x80 if masked else 0
        if length < 126:
            header = struct.pack(">BB", first, mask_bit | length)
        else:
            header = struct.pack(">BBH", first, mask_bit | 126, length)
        if masked:
            mask = os.urandom(4)
            payload = mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.socket.sendall(header + payload)

    def read_frame(self):
        """(opcode, payload) of the next server frame; servers never mask."""
        first, second = self._read_exactly(2)
        assert second & 0x80 == 0
        length = second & 0x7F
        if length == 126:
            length = struct.unpack(">H", self._read_exactly(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self._read_exactly(8))[0]
        return first & 0x0F, self._read_exactly(length)

    def collect(self):
        """Reads until the server's close frame: ({channel: bytes}, close code, pongs)."""
        channels, pongs = {}, []
        while True:
            opcode, payload = self.read_frame()
            if opcode == 2:
                channels[payload[0]] = channels.get(payload[0], b"") + payload[1:]
            elif opcode == 10:
                pongs.append(payload)
            elif opcode == 8:
                self.send_frame(8, payload[:2])
                return channels, struct.unpack(">H", payload[:2])[0], pongs


def test_websocket_exec_streams_channels_and_reports_failure_with_the_exit_code(exec_server):
    client = _Client(exec_server, ["sh", "-c", "cat; echo err >&2; exit 3"],
                     "base64.channel.k8s.io, v5.channel.k8s.io, v4.channel.k8s.io", stdin=True)
    assert client.status == 101 and client.accept_ok
    assert client.headers["sec-websocket-protocol"] == "v5.channel.k8s.io"
    client.send_frame(9, b"are you there")
    client.send_frame(2, b"\x00fragmented ", final=False)  # stdin, in two frames
    client.send_frame(0, b"input\n")
    client.send_frame(2, b"\xff\x00")  # v5: close stdin
    channels, code, pongs = client.collect()
    assert pongs == [b"are you there"]
    assert channels[1] == b"fragmented input\n"
    assert channels[2] == b"err\n"
    assert json.loads(channels[3]) == {
        "metadata": {}, "status": "Failure", "reason": "NonZeroExitCode",
        "message": "command terminated with non-zero exit code: error executing command [sh -c cat; echo err >&2; "
                   "exit 3], exit code 3",
        "details": {"causes": [{"reason": "ExitCode", "message": "3"}]}}
    assert code == 1000


@pytest.mark.parametrize("exec_server", ["plain", "tls"], indirect=True)
def test_websocket_exec_reports_success_over_v4(exec_server):
    client = _Client(exec_server, ["sh", "-c", "head -c 200000 /dev/zero; echo done >&2"], "v4.channel.k8s.io")
    assert client.headers["sec-websocket-protocol"] == "v4.channel.k8s.io"
    channels, code, _ = client.collect()
    assert channels[1] == bytes(200000)
    assert channels[2] == b"done\n"
    assert json.loads(channels[3]) == {"metadata": {}, "status": "Success"}


def test_websocket_exec_without_a_supported_subprotocol_is_a_bad_request(exec_server):
    client = _Client(exec_server, ["true"], "channel.k8s.io")
    assert client.status == 400
    length = int(client.headers["content-length"])
    status = json.loads(client._read_exactly(length))
    assert (status["kind"], status["code"], status["reason"]) == ("Status", 400, "BadRequest")
    assert "v5.channel.k8s.io" in status["message"]


def test_websocket_exec_closes_with_protocol_error_on_unmasked_frames(exec_server):
    client = _Client(exec_server, ["sleep", "30"], "v4.channel.k8s.io")
    client.send_frame(2, b"\x00x", masked=False)
    _, code, _ = client.collect()
    assert code == 1002
