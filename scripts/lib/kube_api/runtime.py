#!/usr/bin/env python3
"""The emulator's container runtime: pod containers as local processes in private namespaces.

There is no container engine on these machines, so a container is a local process, set up
the way scripts/lib/moto_local_jobs.py runs AWS Batch jobs, with a network sandbox per pod:

- Pod sandbox. Every pod IP gets a holder process (`runtime.py sandbox`) that owns a new
  network namespace with `lo` up and `net.ipv4.ip_unprivileged_port_start=0` (so a
  container's root can bind low ports). All containers of the pod join it, so they share
  `localhost` as in Kubernetes, and two pods can both listen on the same port.
- Container. `nsenter --net=<sandbox> unshare --user --map-root-user --mount --pid --uts
  --ipc --fork runtime.py init CONFIG`: the init (PID 1 of the container's PID namespace)
  builds a new root on a private tmpfs that mirrors the host's top-level entries with
  recursive bind mounts and a fresh /proc, binds every Mount at its container path
  (parents first; read-only ones remounted read-only), creates missing mount points and
  the working directory without touching the host (a host directory on the way is
  shadowed by a tmpfs that re-binds its entries; inside a volume the directory is made in
  the volume, as runc does), pivots into it, then enters a nested user and mount
  namespace, in which every mount is locked, so nothing in the container can undo a
  read-only mount. It then starts the command with the given environment and working
  directory and stays as PID 1: it forwards SIGTERM to every process of the container,
  reaps orphans, and exits with the command's status (128+N after signal N), which makes
  the kernel kill whatever is left, double-forked children included. On SIGUSR1 (stop()
  after the grace period) it SIGKILLs everything and exits 137; if the runtime's process
  dies, the init notices (a pipe closes) and does the same.
- Standard output and error go to `<state_dir>/containers/<key>/log`.
- Relay. For each declared port, a listening socket on pod_ip:port on the host (all of
  127.0.0.0/8 is loopback) forwards every connection to 127.0.0.1:port inside the pod's
  network namespace: the inner socket is created by a short-lived thread that `setns`es
  into the sandbox (ctypes; Python 3.11 has no os.setns; network namespaces are per
  thread). The listening socket closes when the container stops or exits.
- exec: `nsenter -t <init> --user --mount --pid --net --uts --ipc --root --wd` enters all
  of the container's namespaces, root and working directory, with the container's
  environment; its process group is signalled as a whole.

Usage as a library: PodRuntime(state_dir).start("ns/pod/container", ContainerLaunch(...)).
"""
import ctypes
import fcntl
import http.client
import json
import os
import platform
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
START_TIMEOUT = 20.0

_CLONE_NEWNS = 0x00020000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_MS_RDONLY = 1
_MS_NOSUID = 2
_MS_NODEV = 4
_MS_NOEXEC = 8
_MS_REMOUNT = 32
_MS_NOATIME = 1024
_MS_NODIRATIME = 2048
_MS_BIND = 4096
_MS_REC = 16384
_MS_RELATIME = 1 << 21
_MS_STRICTATIME = 1 << 24
_MNT_DETACH = 2
_SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
_SIOCGIFFLAGS = 0x8913
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 1

_LIBC = ctypes.CDLL("libc.so.6", use_errno=True)
_LIBC.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
_LIBC.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
_LIBC.unshare.argtypes = [ctypes.c_int]
_LIBC.setns.argtypes = [ctypes.c_int, ctypes.c_int]


@dataclass(frozen=True)
class Mount:
    """A host directory (or file) bound at a path inside the container."""

    host_path: str
    container_path: str
    read_only: bool


@dataclass(frozen=True)
class ContainerLaunch:
    """Everything needed to start one container, already resolved by the kubelet."""

    argv: list[str]
    env: dict[str, str]
    working_dir: str | None
    mounts: list[Mount]
    ports: list[int]
    pod_ip: str


def _check(result, what):
    """Raises OSError with errno and `what` when a libc call returned -1."""
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _mount(source, target, fstype, flags, data=None):
    encode = (lambda v: v.encode() if isinstance(v, str) else v)
    _check(_LIBC.mount(encode(source), encode(target), encode(fstype), flags, encode(data)),
           f"mount {source} on {target}")


def _umount_detached(target):
    _check(_LIBC.umount2(target.encode(), _MNT_DETACH), f"umount {target}")


def _loopback_up():
    """Brings `lo` up in the calling thread's network namespace."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        request = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(probe, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(probe, _SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | _IFF_UP))


def socket_in_namespace(netns_path: str) -> socket.socket:
    """A new TCP socket that lives in the network namespace at `netns_path`.

    A short-lived thread joins the namespace (setns only affects the calling thread),
    creates the socket and ends; the socket keeps its namespace for its whole life.
    """
    outcome = {}

    def create():
        try:
            descriptor = os.open(netns_path, os.O_RDONLY | os.O_CLOEXEC)
            try:
                _check(_LIBC.setns(descriptor, _CLONE_NEWNET), f"setns {netns_path}")
                outcome["socket"] = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            finally:
                os.close(descriptor)
        except OSError as error:
            outcome["error"] = error

    worker = threading.Thread(target=create, name="netns-socket")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["socket"]


def _exit_status(returncode):
    """A container exit code as Kubernetes reports it: 128+N after signal N."""
    return 128 - returncode if returncode < 0 else returncode


class _Relay:
    """Forwards TCP connections from pod_ip:port on the host into a pod's network namespace."""

    def __init__(self, pod_ip, port, netns_path):
        self.netns_path = netns_path
        self.port = port
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.listener.bind((pod_ip, port))
            self.listener.listen(128)
        except OSError as error:
            self.listener.close()
            raise RuntimeError(f"cannot listen on {pod_ip}:{port} for the pod: {error.strerror}") from error
        self.lock = threading.Lock()
        self.connections = set()
        self.closed = False
        threading.Thread(target=self._accept, name=f"relay-{pod_ip}:{port}", daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._forward, args=(client,), daemon=True).start()

    def _forward(self, client):
        try:
            inner = socket_in_namespace(self.netns_path)
            inner.settimeout(5)
            inner.connect(("127.0.0.1", self.port))
            inner.settimeout(None)
        except OSError:
            # Nothing listens in the pod: reset, the closest to a refused connection.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()
            return
        with self.lock:
            if self.closed:
                inner.close()
                client.close()
                return
            self.connections.update((client, inner))
        upstream = threading.Thread(target=_pump, args=(client, inner), daemon=True)
        upstream.start()
        _pump(inner, client)
        upstream.join()
        with self.lock:
            self.connections.difference_update((client, inner))
        client.close()
        inner.close()

    def close(self):
        """Stops accepting (connections to pod_ip:port are refused) and ends open ones."""
        with self.lock:
            self.closed = True
            connections = list(self.connections)
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _pump(source, destination):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            destination.sendall(data)
    except OSError:
        pass
    try:
        destination.shutdown(socket.SHUT_WR)
    except OSError:
        pass


class _Sandbox:
    """The holder of one pod's network namespace."""

    def __init__(self, pod_ip):
        self.pod_ip = pod_ip
        self.users = set()
        self.process = subprocess.Popen([sys.executable, "-I", "-S", os.path.abspath(__file__), "sandbox"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        start_new_session=True, cwd="/", env={"PATH": DEFAULT_PATH})
        ready, _, _ = select.select([self.process.stdout], [], [], START_TIMEOUT)
        line = self.process.stdout.readline() if ready else b""
        if line.strip() != b"ready":
            self.close()
            message = self.process.stderr.read().decode("utf-8", "replace").strip()
            raise RuntimeError(f"cannot create the network namespace of pod {pod_ip}: {message or 'no answer'}")
        self.netns_path = f"/proc/{self.process.pid}/ns/net"

    def close(self):
        """Ends the holder; the namespace goes away with its last process."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            stream.close()


class _Container:
    """Bookkeeping of one started container."""

    def __init__(self, key, launch, directory, sandbox):
        self.key = key
        self.launch = launch
        self.directory = directory
        self.sandbox = sandbox
        self.process = None
        self.init_pid = None
        self.pidfd = None
        self.lifeline = None
        self.relays = []
        self.exited = threading.Event()
        self.lock = threading.Lock()

    @property
    def log_path(self):
        return os.path.join(self.directory, "log")

    def close_relays(self):
        relays, self.relays = self.relays, []
        for relay in relays:
            relay.close()

    def signal_init(self, signum):
        with self.lock:
            if self.pidfd is None:
                return
            try:
                signal.pidfd_send_signal(self.pidfd, signum)
            except ProcessLookupError:
                pass

    def close_pidfd(self):
        with self.lock:
            if self.pidfd is not None:
                os.close(self.pidfd)
                self.pidfd = None


class _ExecProcess(subprocess.Popen):
    """An exec'd command: signals go to its whole process group (nsenter and the command
    it forked inside the container's PID namespace)."""

    def send_signal(self, sig):
        """Signals the process group, unless it is gone already."""
        if self.poll() is None:
            try:
                os.killpg(self.pid, sig)
            except ProcessLookupError:
                pass


class PodRuntime:
    """Runs pod containers as local processes in private namespaces (see the module doc).

    Keys are "namespace/pod/container". Thread-safe.
    """

    def __init__(self, state_dir: str):
        self.state_dir = os.path.realpath(state_dir)
        os.makedirs(os.path.join(self.state_dir, "containers"), exist_ok=True)
        self._lock = threading.Lock()
        self._containers: dict[str, _Container] = {}
        self._sandboxes: dict[str, _Sandbox] = {}

    def _directory(self, key):
        return os.path.join(self.state_dir, "containers", urllib.parse.quote(key, safe=""))

    def _get(self, key):
        with self._lock:
            return self._containers.get(key)

    def _running(self, key):
        container = self._get(key)
        if container is None or container.exited.is_set():
            return None
        return container

    def start(self, key: str, launch: ContainerLaunch) -> None:
        """Starts the container `key`; raises RuntimeError with a message when it cannot."""
        if not launch.argv:
            raise RuntimeError(f"container {key} has no command")
        for mount in launch.mounts:
            if not os.path.isabs(mount.container_path):
                raise RuntimeError(f"mount path {mount.container_path} of container {key} is not absolute")
            if not os.path.exists(mount.host_path):
                raise RuntimeError(f"volume source {mount.host_path} for {mount.container_path} does not exist")
        if launch.working_dir is not None and not os.path.isabs(launch.working_dir):
            raise RuntimeError(f"working directory {launch.working_dir} of container {key} is not absolute")
        previous = self._get(key)
        if previous is not None and not previous.exited.is_set():
            raise RuntimeError(f"container {key} is already running")
        if previous is not None and previous.launch.pod_ip != launch.pod_ip:
            self._release(previous)
        with self._lock:
            sandbox = self._sandboxes.get(launch.pod_ip)
            if sandbox is None or sandbox.process.poll() is not None:
                sandbox = _Sandbox(launch.pod_ip)
                self._sandboxes[launch.pod_ip] = sandbox
            sandbox.users.add(key)
            container = _Container(key, launch, self._directory(key), sandbox)
            self._containers[key] = container
        try:
            self._launch(container)
        except BaseException:
            container.close_relays()
            container.exited.set()
            with self._lock:
                if self._containers.get(key) is container:
                    del self._containers[key]
            self._release(container)
            raise

    def _launch(self, container):
        launch = container.launch
        os.makedirs(os.path.join(container.directory, "root"), exist_ok=True)
        for port in launch.ports:
            container.relays.append(_Relay(launch.pod_ip, port, container.sandbox.netns_path))
        report_read, report_write = os.pipe()
        lifeline_read, container.lifeline = os.pipe()
        config_fd = _config_file(container.directory, {
            "root": os.path.join(container.directory, "root"),
            "hostname": container.key.split("/")[1] if container.key.count("/") == 2 else "pod",
            "mounts": [[m.host_path, m.container_path, m.read_only] for m in launch.mounts],
            "working_dir": launch.working_dir or "/",
            "argv": list(launch.argv),
            "env": self._environment(container),
            "report_fd": report_write,
            "lifeline_fd": lifeline_read,
        })
        arguments = ["nsenter", f"--net={container.sandbox.netns_path}", "--",
                     "unshare", "--user", "--map-root-user", "--mount", "--propagation", "private",
                     "--pid", "--uts", "--ipc", "--fork", "--",
                     sys.executable, "-I", "-S", os.path.abspath(__file__), "init", str(config_fd)]
        with open(container.log_path, "wb") as log:
            try:
                container.process = subprocess.Popen(
                    arguments, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    pass_fds=(report_write, lifeline_read, config_fd), start_new_session=True, cwd="/",
                    env={"PATH": DEFAULT_PATH})
            finally:
                os.close(config_fd)
                os.close(report_write)
                os.close(lifeline_read)
        report = _read_report(report_read, START_TIMEOUT)
        if "pid" not in report:
            if container.process.poll() is None:
                container.process.kill()
            container.process.wait()
            os.close(container.lifeline)
            detail = report.get("error") or self.logs(container.key, 5).decode("utf-8", "replace").strip()
            raise RuntimeError(f"cannot start container {container.key}: {detail or 'the runtime gave no reason'}")
        container.init_pid = report["pid"]
        try:
            pidfd = os.pidfd_open(container.init_pid)
            if _parent_of(container.init_pid) == container.process.pid:
                container.pidfd = pidfd
            else:  # the command ended at once and the pid is someone else's now
                os.close(pidfd)
        except ProcessLookupError:
            pass  # the command ended at once; the watcher records its status
        threading.Thread(target=self._watch, args=(container,), name=f"watch-{container.key}", daemon=True).start()

    @staticmethod
    def _environment(container):
        environment = {"PATH": DEFAULT_PATH, "HOME": "/root"}
        if container.key.count("/") == 2:
            environment["HOSTNAME"] = container.key.split("/")[1]
        environment.update(container.launch.env)
        return environment

    @staticmethod
    def _watch(container):
        container.process.wait()
        container.close_relays()
        os.close(container.lifeline)
        container.close_pidfd()
        container.exited.set()

    def exit_code(self, key: str) -> int | None:
        """The container's exit code (128+N after signal N); None while it runs or if unknown."""
        container = self._get(key)
        if container is None or not container.exited.is_set() or container.process is None:
            return None
        return _exit_status(container.process.returncode)

    def tcp_ready(self, key: str, port: int, timeout: float = 0.5) -> bool:
        """Whether something accepts connections on 127.0.0.1:port inside the pod."""
        container = self._running(key)
        if container is None:
            return False
        try:
            with socket_in_namespace(container.sandbox.netns_path) as probe:
                probe.settimeout(timeout)
                return probe.connect_ex(("127.0.0.1", port)) == 0
        except OSError:
            return False

    def http_ready(self, key: str, port: int, path: str, timeout: float = 0.5) -> bool:
        """Whether GET http://127.0.0.1:port/path inside the pod answers 200-399, as a
        kubelet httpGet probe decides."""
        container = self._running(key)
        if container is None:
            return False
        connection = http.client.HTTPConnection(container.launch.pod_ip, port, timeout=timeout)
        try:
            probe = socket_in_namespace(container.sandbox.netns_path)
            probe.settimeout(timeout)
            connection.sock = probe
            probe.connect(("127.0.0.1", port))
            connection.request("GET", path or "/", headers={"User-Agent": "kube-probe/1.33", "Accept": "*/*"})
            response = connection.getresponse()
            # Read the body (as a kubelet does) so the server never writes to a closed socket.
            response.read(64 * 1024)
            return 200 <= response.status < 400
        except (OSError, http.client.HTTPException):
            return False
        finally:
            connection.close()

    def exec_ready(self, key: str, argv: list[str], timeout: float = 2.0) -> bool:
        """Whether `argv` run in the container exits 0 within `timeout` seconds."""
        try:
            process = self.exec(key, argv)
        except RuntimeError:
            return False
        try:
            process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return False
        return process.returncode == 0

    def stop(self, key: str, grace_seconds: float) -> None:
        """SIGTERM to every process of the container, SIGKILL after `grace_seconds`;
        returns when they are all gone. An unknown or exited container is fine."""
        container = self._get(key)
        if container is not None and container.process is not None and not container.exited.is_set():
            container.signal_init(signal.SIGTERM)
            if not container.exited.wait(max(grace_seconds, 0)):
                # The init kills everything and exits 137, as a SIGKILLed container reports.
                container.signal_init(signal.SIGUSR1)
                if not container.exited.wait(1.0):
                    container.signal_init(signal.SIGKILL)
                    container.exited.wait()
        if container is not None:
            container.close_relays()
            self._release(container)

    def _release(self, container):
        with self._lock:
            sandbox = container.sandbox
            sandbox.users.discard(container.key)
            if sandbox.users or self._sandboxes.get(sandbox.pod_ip) is not sandbox:
                return
            del self._sandboxes[sandbox.pod_ip]
        sandbox.close()

    def logs(self, key: str, tail_lines: int | None = None) -> bytes:
        """Standard output and error of the container's current (or last) run."""
        try:
            with open(os.path.join(self._directory(key), "log"), "rb") as log:
                data = log.read()
        except FileNotFoundError:
            return b""
        if tail_lines is None:
            return data
        if tail_lines <= 0:
            return b""
        lines = data.splitlines(keepends=True)
        return b"".join(lines[-tail_lines:])

    def forget(self, key: str) -> None:
        """Drops the container's logs and bookkeeping (stopping it at once if it still runs)."""
        self.stop(key, 0)
        with self._lock:
            self._containers.pop(key, None)
        shutil.rmtree(self._directory(key), ignore_errors=True)

    def exec(self, key: str, argv: list[str], stdin: bool = False) -> subprocess.Popen:
        """Runs `argv` in the container's namespaces, root, environment and working
        directory; stdout and stderr (and stdin if asked) are pipes. The Popen's
        kill()/terminate() reach the command inside the container, and its `command`
        attribute is `argv`. Raises RuntimeError when the container is not running."""
        container = self._running(key)
        if container is None:
            raise RuntimeError(f"container {key} is not running")
        if not argv:
            raise RuntimeError("exec needs a command")
        arguments = ["nsenter", "-t", str(container.init_pid), "--user", "--mount", "--pid", "--net", "--uts",
                     "--ipc", "--root", "--wd", "--"] + list(argv)
        process = _ExecProcess(arguments, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               cwd="/", env=self._environment(container))
        process.command = list(argv)
        return process

    def shutdown(self) -> None:
        """Stops every container (SIGTERM, SIGKILL after 1 s) and every pod sandbox."""
        with self._lock:
            keys = list(self._containers)
        stoppers = [threading.Thread(target=self.stop, args=(key, 1.0)) for key in keys]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        with self._lock:
            sandboxes = list(self._sandboxes.values())
            self._sandboxes.clear()
        for sandbox in sandboxes:
            sandbox.close()


def _parent_of(pid):
    """The parent pid of `pid`, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return int(stat.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _config_file(directory, config):
    """A read descriptor of the init's configuration (an unlinked 0600 file), so the
    environment, which may hold secrets, never appears in a process's arguments."""
    path = os.path.join(directory, "config.json")
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600), "w") as file:
        json.dump(config, file)
    descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    os.unlink(path)
    return descriptor


def _read_report(descriptor, timeout):
    """The init's JSON report (one line) from the pipe, or {} when it closed without one.
    (unshare, waiting for the init, keeps the pipe open, so the end is the newline.)"""
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([descriptor], [], [], remaining)[0]:
                return {"error": f"no answer from the container's init within {timeout:g} s"}
            chunk = os.read(descriptor, 65536)
            chunks.append(chunk)
            if not chunk or chunk.endswith(b"\n"):
                break
    finally:
        os.close(descriptor)
    try:
        return json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        return {}


# ---------------------------------------------------------------------------------------
# The programs that run in the namespaces: `runtime.py sandbox` and `runtime.py init CONFIG`.

def _sandbox_main():
    """Holds a new network namespace with lo up until stdin closes."""
    _check(_LIBC.unshare(_CLONE_NEWNET), "unshare the network namespace")
    _loopback_up()
    with open("/proc/sys/net/ipv4/ip_unprivileged_port_start", "w") as sysctl:
        sysctl.write("0")
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while os.read(0, 4096):
        pass


class _RootBuilder:
    """Builds the container's root file system on a private tmpfs (see the module doc)."""

    def __init__(self, root):
        self.root = root
        self.own_devices = set()
        self.volume_paths = []

    def build(self, mounts, working_dir):
        _mount("tmpfs", self.root, "tmpfs", 0, "mode=0755")
        self.own_devices.add(os.stat(self.root).st_dev)
        for name in sorted(os.listdir("/")):
            if name == "proc":
                os.mkdir(os.path.join(self.root, name))
            else:
                self._mirror(os.path.join("/", name), os.path.join(self.root, name))
        # The recursive binds copied this tmpfs into itself at its own path: drop that copy.
        try:
            _umount_detached(self.root + self.root)
        except OSError:
            pass
        _mount("proc", os.path.join(self.root, "proc"), "proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC)
        for source, target, read_only in sorted(mounts, key=lambda m: m[1].rstrip("/").count("/")):
            inside = self._prepare(target, os.path.isdir(source))
            _mount(source, inside, None, _MS_BIND | _MS_REC)
            if read_only:
                _mount(None, inside, None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY | _locked_flags(inside))
            self.volume_paths.append(os.path.normpath(target))
        self._prepare(working_dir, True)

    def _mirror(self, source, destination):
        """Makes `destination` show `source`: a copied symlink or a (recursive) bind."""
        if os.path.islink(source):
            os.symlink(os.readlink(source), destination)
            return
        if os.path.isdir(source):
            os.mkdir(destination)
            _mount(source, destination, None, _MS_BIND | _MS_REC)
        else:
            with open(destination, "w"):
                pass
            _mount(source, destination, None, _MS_BIND)

    def _in_volume(self, path):
        inside = "/" + os.path.relpath(path, self.root)
        return any(inside == v or inside.startswith(v.rstrip("/") + "/") for v in self.volume_paths)

    def _shadow(self, directory):
        """Replaces a host directory by a tmpfs that binds each of its entries, so entries
        can be added without touching the host."""
        stage = os.path.join(self.root, ".stage")
        os.mkdir(stage)
        _mount(directory, stage, None, _MS_BIND | _MS_REC)
        _mount("tmpfs", directory, "tmpfs", 0, f"mode={os.stat(stage).st_mode & 0o7777:o}")
        self.own_devices.add(os.stat(directory).st_dev)
        for name in os.listdir(stage):
            self._mirror(os.path.join(stage, name), os.path.join(directory, name))
        _umount_detached(stage)
        os.rmdir(stage)

    def _prepare(self, path, directory, depth=0):
        """The path under the new root for container path `path`, created if missing."""
        if depth > 16:
            raise RuntimeError(f"too many symbolic links in {path}")
        parts = [part for part in path.split("/") if part and part != "."]
        current = self.root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            following = os.path.join(current, part)
            if os.path.islink(following):
                link = os.readlink(following)
                base = "/" if link.startswith("/") else "/" + os.path.relpath(current, self.root)
                resolved = os.path.normpath(os.path.join(base, link, *parts[index + 1:]))
                return self._prepare(resolved, directory, depth + 1)
            if part == "..":
                current = os.path.dirname(current) if current != self.root else current
                continue
            if os.path.exists(following):
                if not last and not os.path.isdir(following):
                    raise RuntimeError(f"{path}: {'/'.join(parts[:index + 1])} is not a directory")
                current = following
                continue
            if os.stat(current).st_dev not in self.own_devices:
                if self._in_volume(current):
                    try:
                        self._create(following, directory or not last)
                        current = following
                        continue
                    except OSError:
                        pass
                self._shadow(current)
            self._create(following, directory or not last)
            current = following
        return current

    @staticmethod
    def _create(path, directory):
        if directory:
            os.mkdir(path, 0o755)
        else:
            with open(path, "w"):
                pass


def _locked_flags(path):
    """The mount flags of `path` that a remount in a user namespace must keep (the
    kernel locks them): nosuid, nodev, noexec and the atime mode."""
    current = os.statvfs(path).f_flag
    flags = 0
    for st_flag, ms_flag in ((os.ST_NOSUID, _MS_NOSUID), (os.ST_NODEV, _MS_NODEV), (os.ST_NOEXEC, _MS_NOEXEC),
                             (os.ST_NOATIME, _MS_NOATIME), (os.ST_NODIRATIME, _MS_NODIRATIME),
                             (os.ST_RELATIME, _MS_RELATIME)):
        if current & st_flag:
            flags |= ms_flag
    if not current & (os.ST_NOATIME | os.ST_RELATIME):
        flags |= _MS_STRICTATIME
    return flags


def _pivot_into(root):
    number = _SYS_PIVOT_ROOT.get(platform.machine())
    if number is None:
        raise RuntimeError(f"pivot_root: unsupported architecture {platform.machine()}")
    os.chdir(root)
    _check(_LIBC.syscall(ctypes.c_long(number), b".", b"."), "pivot_root")
    _umount_detached(".")
    os.chdir("/")


def _enter_nested_user_namespace():
    """A nested user and mount namespace: every mount is now locked, so read-only binds
    stay read-only whatever the container does."""
    _check(_LIBC.unshare(_CLONE_NEWUSER | _CLONE_NEWNS), "unshare the nested user namespace")
    for name, content in (("setgroups", "deny"), ("uid_map", "0 0 1"), ("gid_map", "0 0 1")):
        with open(f"/proc/self/{name}", "w") as control:
            control.write(content)


def _report(descriptor, value):
    os.write(descriptor, json.dumps(value).encode() + b"\n")
    os.close(descriptor)


def _start_command(argv, env):
    """Forks the container's command; returns its pid, or raises with exec's error."""
    error_read, error_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(error_read)
            for signum in (signal.SIGPIPE, signal.SIGTERM, signal.SIGCHLD, signal.SIGINT, signal.SIGXFSZ):
                signal.signal(signum, signal.SIG_DFL)
            signal.set_wakeup_fd(-1)
            os.execvpe(argv[0], argv, env)
        except OSError as error:
            reason = "executable file not found in $PATH" if error.errno == 2 else error.strerror
            os.write(error_write, f"exec {argv[0]}: {reason}".encode())
        finally:
            os._exit(127)
    os.close(error_write)
    message = b""
    while chunk := os.read(error_read, 4096):
        message += chunk
    os.close(error_read)
    if message:
        os.waitpid(pid, 0)
        raise RuntimeError(message.decode("utf-8", "replace"))
    return pid


def _kill_all(signum):
    """From PID 1: signals every other process of the PID namespace."""
    try:
        os.kill(-1, signum)
    except ProcessLookupError:
        pass


def _init_main(config):
    """PID 1 of a container: set up, start the command, forward SIGTERM, reap, exit with
    the command's status; SIGUSR1 (or the runtime's end) kills everything, exit 137."""
    report_fd, lifeline_fd = config["report_fd"], config["lifeline_fd"]
    os.set_inheritable(report_fd, False)
    os.set_inheritable(lifeline_fd, False)
    try:
        host_pid = int(os.readlink("/proc/self"))  # the host's /proc, before the new one
        socket.sethostname(config["hostname"])
        _RootBuilder(config["root"]).build(config["mounts"], config["working_dir"])
        _pivot_into(config["root"])
        _enter_nested_user_namespace()
        os.chdir(config["working_dir"])
        wake_read, wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        signal.set_wakeup_fd(wake_write)
        terminate_requested, kill_requested = [], []
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, lambda *_: terminate_requested.append(True))
        signal.signal(signal.SIGUSR1, lambda *_: kill_requested.append(True))
        main_pid = _start_command(config["argv"], config["env"])
    except (OSError, RuntimeError) as error:
        _report(report_fd, {"error": str(error)})
        sys.exit(127)
    _report(report_fd, {"pid": host_pid})
    while True:
        readable, _, _ = select.select([wake_read, lifeline_fd], [], [], 1.0)
        if wake_read in readable:
            while True:
                try:
                    if not os.read(wake_read, 4096):
                        break
                except BlockingIOError:
                    break
        # SIGUSR1 is the runtime's SIGKILL; a closed lifeline means the runtime is gone.
        if kill_requested or (lifeline_fd in readable and not os.read(lifeline_fd, 1)):
            _kill_all(signal.SIGKILL)
            os._exit(137)
        if terminate_requested:
            terminate_requested.clear()
            _kill_all(signal.SIGTERM)
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if pid == main_pid:
                os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


if __name__ == "__main__":
    if sys.argv[1:2] == ["sandbox"]:
        _sandbox_main()
    elif sys.argv[1:2] == ["init"] and len(sys.argv) == 3:
        with os.fdopen(int(sys.argv[2]), "rb") as configuration:
            _init_main(json.load(configuration))
    else:
        sys.exit("usage: runtime.py sandbox | runtime.py init CONFIG (started by PodRuntime, not by hand)")
