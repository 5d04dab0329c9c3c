"""What every Python suite shares (Tests/interop, Tests/gateway, Tests/kubeapi): the
repository's paths, one free-port helper, one stub generator, one process launcher
(LoggedProcess) and one way to stop a process. (Tests/conftest.py puts this directory on
the import path.)"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PROTO_ROOT = REPO_ROOT / "proto"
# Where the binaries under test are; the test command sets it to its build's bin path.
BIN_DIR = Path(os.environ.get("SESSIONGW_BIN_DIR", REPO_ROOT / ".build" / "release"))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def generate_stubs(out_dir: Path, proto_files, proto_root: Path = PROTO_ROOT) -> Path:
    """Runs protoc (from grpcio-tools) on `proto_files` (paths under `proto_root`, by
    default proto/) into `out_dir`, with protobuf's well-known types on the import path;
    returns `out_dir`."""
    import grpc_tools

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    well_known = Path(grpc_tools.__file__).parent / "_proto"
    command = [
        sys.executable, "-m", "grpc_tools.protoc", f"-I{proto_root}", f"-I{well_known}",
        f"--python_out={out_dir}", f"--grpc_python_out={out_dir}", *proto_files,
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"protoc failed ({result.returncode}):\n{result.stderr}")
    return out_dir


def stop(process: subprocess.Popen, timeout: float = 30.0) -> int | None:
    """SIGTERM, then up to `timeout` seconds for the process to exit, then SIGKILL;
    returns its exit status, or None when it had to be killed."""
    if process.poll() is not None:
        return process.returncode
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None


class LoggedProcess:
    """A program under test: started with its standard output and error copied, line by
    line, into `log_path` (appended to, so a restarted program keeps one log) and kept
    for `wait_for`, which is how a test learns that the program is ready."""

    def __init__(self, argv, log_path: Path, name: str, env=None):
        self.argv = [str(part) for part in argv]
        self.name = name
        self.log_path = Path(log_path)
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._log = open(self.log_path, "a", buffering=1)
        self._log.write("$ " + " ".join(self.argv) + "\n")
        self.process = subprocess.Popen(
            self.argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            text=True, errors="replace", cwd=REPO_ROOT, env=env)
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()

    def _read_output(self) -> None:
        for line in self.process.stdout:
            self._log.write(line)
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_for(self, pattern: str, timeout: float = 60.0) -> re.Match:
        """The first line the program printed (so far or from now) that `pattern`
        searches successfully; raises with the log's end when the program exits first or
        `timeout` seconds pass."""
        expression = re.compile(pattern)
        deadline = time.monotonic() + timeout
        seen = 0
        with self._changed:
            while True:
                for line in self.lines[seen:]:
                    match = expression.search(line)
                    if match:
                        return match
                seen = len(self.lines)
                if not self._reader.is_alive():
                    raise RuntimeError(f"{self.name} exited with status {self.process.wait()} before printing "
                                       f"/{pattern}/\n{self.log_tail()}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{self.name} printed no /{pattern}/ in {timeout}s\n{self.log_tail()}")
                self._changed.wait(min(remaining, 0.2))

    def stop(self, timeout: float = 30.0) -> int | None:
        """`stop` below, then closes the log; the exit status, or None when it had to be
        killed."""
        try:
            return stop(self.process, timeout)
        finally:
            self._reader.join(5)
            self._log.close()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return f"--- last lines of {self.log_path} ---\n" + "\n".join(text[-lines:])
