"""What every Python suite shares (Tests/interop, Tests/gateway, Tests/kubeapi): the
repository's paths, one free-port helper, one stub generator and one way to stop a
process. (Tests/conftest.py puts this directory on the import path.)"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
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


def generate_stubs(out_dir: Path, proto_files) -> Path:
    """Runs protoc (from grpcio-tools) on `proto_files` (paths under proto/) into
    `out_dir`, with protobuf's well-known types on the import path; returns `out_dir`."""
    import grpc_tools

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    well_known = Path(grpc_tools.__file__).parent / "_proto"
    command = [
        sys.executable, "-m", "grpc_tools.protoc", f"-I{PROTO_ROOT}", f"-I{well_known}",
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
