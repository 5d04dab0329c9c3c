#!/usr/bin/env python3
"""The emulator's entry point and HTTPS server: the shared state (store, API, faults,
controllers, kubelet), the listening socket with TLS handshakes in connection threads,
outages (every connection closed, then listening again), the request log
($STATE/server.log) and a clean stop (every container stopped) on SIGTERM.

Usage: python3 scripts/lib/kube_api/server.py --host 127.0.0.1 --port 6443 --state DIR
($STATE/pki and $STATE/token come from scripts/kube-api-server.sh).
"""
if __name__ == "__main__" and not __package__:
    import os as _os
    import sys as _sys
    _sys.path[0] = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
    from kube_api.server import main as _main
    _sys.exit(_main())

import argparse
import http.server
import os
import shutil
import signal
import socket
import ssl
import sys
import threading
import time

from .controllers import Controllers
from .faults import Faults
from .handler import Handler
from .kubelet import Kubelet
from .node import Node
from .rest import Api
from .store import Store
from .validation import SchemaValidator


class Emulator:
    """Everything the request handlers share: store, API, faults, kubelet, credentials."""

    def __init__(self, state: str, host: str, port: int):
        self.state = state
        self.host, self.port = host, port
        self.store = Store()
        self.validator = SchemaValidator()
        self.api = Api(self.store, self.validator)
        self.faults = Faults()
        self.node = Node.from_env()
        self.kubelet = Kubelet(self.store, self.node, self.faults, state)
        self.controllers = Controllers(self.store, self.api, self.node, state)
        with open(os.path.join(state, "token")) as f:
            self.token = f.read().strip()
        self.bookmark_seconds = float(os.environ.get("KUBE_API_BOOKMARK_SECONDS", "2"))
        self.stopping = False
        self.outage_until = 0.0
        self.log = open(os.path.join(state, "server.log"), "a", buffering=1)
        self.log_lock = threading.Lock()
        self.httpd: "EmulatorHTTPServer | None" = None

    def log_line(self, line: str) -> None:
        """Appends one line to the request log."""
        with self.log_lock:
            self.log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {line}\n")

    def start_outage(self, seconds: float) -> None:
        """Closes the listening socket and every connection for `seconds`, then listens again."""
        def run():
            time.sleep(0.2)
            self.outage_until = time.monotonic() + seconds
            self.log_line(f"outage for {seconds}s")
            self.httpd.shutdown()
            self.httpd.close_all()
        threading.Thread(target=run, daemon=True).start()

    def serve(self) -> None:
        """Serves until stopped, re-listening after outages."""
        while not self.stopping:
            self.httpd.serve_forever(poll_interval=0.2)
            if self.stopping:
                break
            while time.monotonic() < self.outage_until and not self.stopping:
                time.sleep(0.05)
            if not self.stopping:
                self.httpd.relisten()
                self.log_line("listening again after outage")


class EmulatorHTTPServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server that does the TLS handshake in the connection's thread and
    tracks connections so that an outage can close them."""

    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, addr, handler, emulator: Emulator, context: ssl.SSLContext):
        self.emulator = emulator
        self.context = context
        self.connections: set = set()
        self.conn_lock = threading.Lock()
        super().__init__(addr, handler)

    def relisten(self) -> None:
        """Opens a new listening socket on the same address."""
        self.socket = socket.socket(self.address_family, self.socket_type)
        for attempt in range(50):
            try:
                self.server_bind()
                break
            except OSError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        self.server_activate()

    def close_all(self) -> None:
        """Closes the listening socket and every open connection."""
        try:
            self.socket.close()
        except OSError:
            pass
        with self.conn_lock:
            conns = list(self.connections)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address):
        """Connection-level errors (failed handshakes, resets) are not the client's business."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, (OSError, ssl.SSLError, ConnectionError)):
            self.emulator.log_line(f"connection error: {exc!r}")


def main() -> int:
    """Runs the emulator until SIGTERM/SIGINT; stops every container on the way out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6443)
    parser.add_argument("--state", required=True)
    args = parser.parse_args()
    state = os.path.abspath(args.state)
    os.makedirs(state, exist_ok=True)
    # objects live in memory only: the data of a previous run's volumes and pods is orphaned
    for leftover in ("volumes", "pods", "snapshots"):
        shutil.rmtree(os.path.join(state, leftover), ignore_errors=True)
    pki = os.path.join(state, "pki")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(pki, "server.crt"), os.path.join(pki, "server.key"))
    context.load_verify_locations(os.path.join(pki, "ca.crt"))
    context.verify_mode = ssl.CERT_OPTIONAL
    context.set_alpn_protocols(["http/1.1"])
    em = Emulator(state, args.host, args.port)
    em.controllers.preload()
    em.httpd = EmulatorHTTPServer((args.host, args.port), Handler, em, context)

    def stop(signum, frame):
        if em.stopping:
            return
        em.stopping = True
        threading.Thread(target=em.httpd.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=em.validator.warm_up, name="schemas", daemon=True).start()
    em.controllers.start()
    em.kubelet.start()
    em.log_line(f"listening on https://{args.host}:{args.port} (schemas: Kubernetes {em.validator.version})")
    try:
        em.serve()
    finally:
        em.stopping = True
        em.controllers.stop()
        em.kubelet.shutdown()
        em.log_line("stopped")
    return 0
