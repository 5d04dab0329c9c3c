"""grpc-go peers: the Go interop client and server in `go/`, built at test time.

grpc-go shares no code with gRPC C-core (which grpcio wraps), so it is a second,
independent implementation to test against. It comes from Debian
(golang-google-grpc-dev, grpc-go 1.33 built on github.com/golang/protobuf 1.3) and is
built in GOPATH mode, without modules and without network access.

`build()` does, under `.build-go/` (ignored by git through `.build-*/`):

    bin/protoc-gen-go          Debian's github.com/golang/protobuf/protoc-gen-go
    gopath/src/generated/...   Go stubs for proto/grpc/testing (import "generated/grpc/testing"),
                               regenerated on every build, never committed
    bin/interop-client         go/interop-client
    bin/interop-server         go/interop-server
    cache/                     GOCACHE: the first build compiles grpc-go (about 15 s of
                               CPU), later ones take a second or two

Environment: `SESSIONGW_GO_BUILD_DIR` moves `.build-go/`.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import struct
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from interop_stubs import PROTO_ROOT, REPO_ROOT

GO_SOURCES = Path(__file__).resolve().parent / "go"
DEBIAN_GOPATH = Path("/usr/share/gocode")
TEST_PROTOS = ("grpc/testing/empty.proto", "grpc/testing/messages.proto", "grpc/testing/test.proto")
PROGRAMS = ("interop-client", "interop-server")
INSTALL_HINT = "run `scripts/install-deps.sh test` (apt packages golang-go, golang-google-grpc-dev, protobuf-compiler)"
BUILD_TIMEOUT = 600  # seconds; the first build compiles grpc-go


class GoUnavailable(RuntimeError):
    """Go, protoc or Debian's grpc-go is missing, or the Go programs do not build."""


@dataclass
class GoPeers:
    client: Path
    server: Path


def build_dir() -> Path:
    return Path(os.environ.get("SESSIONGW_GO_BUILD_DIR", REPO_ROOT / ".build-go"))


def go_environment(directory: Path) -> dict[str, str]:
    """GOPATH mode over Debian's Go sources: no modules, no proxy, a cache of our own."""
    env = dict(os.environ)
    env.update(
        GO111MODULE="off",
        GOPATH=f"{directory / 'gopath'}:{DEBIAN_GOPATH}",
        GOFLAGS="",
        GOCACHE=str(directory / "cache"),
        GOPROXY="off",
        CGO_ENABLED="0",
    )
    return env


def build(directory: Path | None = None) -> GoPeers:
    """Builds protoc-gen-go, the Go stubs and both programs; returns the programs."""
    directory = directory or build_dir()
    go, protoc = shutil.which("go"), shutil.which("protoc")
    missing = []
    if go is None:
        missing.append("the `go` command (golang-go)")
    if protoc is None:
        missing.append("`protoc` (protobuf-compiler)")
    if not (DEBIAN_GOPATH / "src/google.golang.org/grpc").is_dir():
        missing.append(f"grpc-go under {DEBIAN_GOPATH}/src (golang-google-grpc-dev)")
    if missing:
        raise GoUnavailable(f"the grpc-go peer tests need {', '.join(missing)}: {INSTALL_HINT}")

    directory.mkdir(parents=True, exist_ok=True)
    env = go_environment(directory)
    bin_dir = directory / "bin"
    generated = directory / "gopath" / "src" / "generated"
    plugin = bin_dir / "protoc-gen-go"
    # One build at a time, should two test sessions start together.
    with open(directory / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _run([go, "build", "-o", str(plugin), "github.com/golang/protobuf/protoc-gen-go"], env)
        shutil.rmtree(generated, ignore_errors=True)
        generated.mkdir(parents=True)
        _run([protoc, f"--plugin=protoc-gen-go={plugin}", f"-I{PROTO_ROOT}",
              f"--go_out=plugins=grpc:{generated}", *TEST_PROTOS], env)
        for program in PROGRAMS:
            _run([go, "build", "-o", str(bin_dir / program), f"./{program}"], env, cwd=GO_SOURCES)
    return GoPeers(client=bin_dir / "interop-client", server=bin_dir / "interop-server")


def _run(command: list[str], env: dict[str, str], cwd: Path = REPO_ROOT) -> None:
    try:
        result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True,
                                errors="replace", timeout=BUILD_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise GoUnavailable(f"`{' '.join(command)}` did not finish in {BUILD_TIMEOUT}s")
    if result.returncode != 0:
        raise GoUnavailable(f"`{' '.join(command)}` failed with exit status {result.returncode}:\n"
                            f"{result.stdout}{result.stderr}\n(if something is missing: {INSTALL_HINT})")


# --- a GOAWAY where none is expected -------------------------------------------------

DATA, GOAWAY, ENHANCE_YOUR_CALM = 0x0, 0x7, 0xB


def goaway_frame(last_stream: int) -> bytes:
    """GOAWAY ENHANCE_YOUR_CALM "too_many_pings", as servers answer a ping flood."""
    payload = struct.pack(">II", last_stream, ENHANCE_YOUR_CALM) + b"too_many_pings"
    return struct.pack(">I", len(payload))[1:] + struct.pack(">BBI", GOAWAY, 0, 0) + payload


class GoAwayInjector:
    """A TCP proxy in front of a server that slips one GOAWAY ENHANCE_YOUR_CALM
    "too_many_pings" to the client right after the `after_data_frames`th DATA frame the
    server sends (the first, by default),
    as a server does that takes grpc-go's BDP pings for a ping flood. Everything else
    passes through unchanged. It shows that the Go client fails a case on a GOAWAY even
    when all the case's calls succeed. With `then_close`, the proxy closes that
    connection right after the GOAWAY, as a server does that drops the calls in flight.
    """

    def __init__(self, upstream_port: int, then_close: bool = False, after_data_frames: int = 1):
        self.upstream = ("127.0.0.1", upstream_port)
        self.then_close = then_close
        self.data_frames_left = after_data_frames
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.injected = threading.Event()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            server = socket.create_connection(self.upstream)
            self._sockets += [client, server]
            threading.Thread(target=self._pass_bytes, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pass_frames, args=(server, client), daemon=True).start()

    @staticmethod
    def _pass_bytes(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def _pass_frames(self, source: socket.socket, sink: socket.socket) -> None:
        """Server to client, frame by frame (9-byte header, then the payload)."""
        pending = b""
        try:
            while data := source.recv(65536):
                pending += data
                out = bytearray()
                while len(pending) >= 9:
                    end = 9 + int.from_bytes(pending[:3], "big")
                    if len(pending) < end:
                        break
                    frame, pending = pending[:end], pending[end:]
                    out += frame
                    if frame[3] == DATA and self._goaway_due():
                        out += goaway_frame(last_stream=int.from_bytes(frame[5:9], "big") & 0x7FFFFFFF)
                        if self.then_close:
                            sink.sendall(out)
                            for sock in (sink, source):  # both directions end
                                sock.shutdown(socket.SHUT_RDWR)
                            return
                sink.sendall(out)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def _goaway_due(self) -> bool:
        if self.injected.is_set():
            return False
        self.data_frames_left -= 1
        if self.data_frames_left > 0:
            return False
        self.injected.set()
        return True

    def close(self) -> None:
        self.listener.close()
        for sock in self._sockets:
            sock.close()
