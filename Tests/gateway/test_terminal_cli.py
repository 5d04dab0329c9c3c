"""`sessiongw terminal` in a real pseudo-terminal, driven by this test as a person at a
keyboard: type a command and see its output, resize the window and see `stty size`
follow, detach with the keys, reattach to the scrollback; the local terminal's settings
come back on every way out."""
import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import time

import pytest

from gateway_procs import BIN_DIR, Gateway


class Attached:
    """`sessiongw terminal attach` on a new pseudo-terminal of `rows` x `columns`."""

    def __init__(self, gateway, session_id, name, rows=30, columns=100, extra=()):
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.environ.update(SESSIONGW_ADDRESS=gateway.address, SESSIONGW_TOKEN=gateway.token)
            os.execv(os.path.join(BIN_DIR, "sessiongw"),
                     ["sessiongw", "terminal", "attach", session_id, name, *extra])
        self.pid, self.fd, self.seen = pid, fd, b""
        # Keys typed before the command puts the terminal in raw mode would be echoed and
        # then flushed by the local line discipline, as for a person typing too early.
        deadline = time.monotonic() + 30
        while self.local_flags() & termios.ECHO:
            assert time.monotonic() < deadline, "the attach command did not put the terminal in raw mode"
            self.drain(0.02)

    def resize(self, rows, columns):
        # Setting the size on the master sends SIGWINCH to the terminal's foreground process group.
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def type(self, text):
        os.write(self.fd, text.encode() if isinstance(text, str) else text)

    def expect(self, text, timeout=30):
        """Reads until the output holds `text` (bytes or str); the output so far."""
        wanted = text.encode() if isinstance(text, str) else text
        deadline = time.monotonic() + timeout
        while wanted not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"did not see {wanted!r}; saw {self.seen[-500:]!r}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                assert chunk, f"the attach command ended before {wanted!r}; saw {self.seen[-500:]!r}"
                self.seen += chunk
        return self.seen

    def local_flags(self):
        """The local terminal's lflag (on Linux the master reads the slave's settings)."""
        return termios.tcgetattr(self.fd)[3]

    def wait(self, timeout=30):
        """Waits for the command to end, reading its last output; its exit status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.drain()
                return os.waitstatus_to_exitcode(status)
            self.drain(0.1)
        raise AssertionError(f"the attach command did not end; saw {self.seen[-500:]!r}")

    def drain(self, timeout=0.0):
        while select.select([self.fd], [], [], timeout)[0]:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.seen += chunk
            timeout = 0.0

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


@pytest.fixture(scope="module")
def gateway():
    gateway = Gateway().start()
    yield gateway
    gateway.stop()
    gateway.kill_session_processes()


def cli(gateway, *args):
    environment = dict(os.environ, SESSIONGW_ADDRESS=gateway.address, SESSIONGW_TOKEN=gateway.token)
    result = subprocess.run([os.path.join(BIN_DIR, "sessiongw"), *args], env=environment, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def session_id(gateway):
    created = json.loads(cli(gateway, "session", "create", "terminals", "--preset", "notebook", "--wait",
                             "--output", "json"))
    return created["id"]


def test_type_resize_detach_and_reattach(gateway, session_id):
    created = json.loads(cli(gateway, "terminal", "create", session_id, "--name", "cli", "--output", "json"))
    assert created["name"] == "cli" and created["running"]

    first = Attached(gateway, session_id, "cli", rows=30, columns=100)
    try:
        first.type("echo hello-$((40+2))\r")
        first.expect("hello-42\r\n")
        assert not first.local_flags() & termios.ECHO, "the local terminal is not in raw mode while attached"
        first.type("stty size\r")
        first.expect("30 100\r\n")
        first.resize(50, 132)
        time.sleep(0.5)  # the window change travels as its own message; give it a moment before asking
        first.type("stty size\r")
        first.expect("50 132\r\n")
        first.type(b"\x10\x11")  # ctrl-p, ctrl-q
        assert first.wait() == 0
        assert b"[detached from terminal cli; it keeps running]" in first.seen
        assert first.local_flags() & (termios.ECHO | termios.ICANON) == termios.ECHO | termios.ICANON, \
            "the local terminal's settings were not restored on detach"
    finally:
        first.close()

    listed = json.loads(cli(gateway, "terminal", "list", session_id, "--output", "json"))["terminals"]
    assert [(t["name"], t["running"]) for t in listed] == [("cli", True)]

    second = Attached(gateway, session_id, "cli")
    try:
        second.expect("hello-42\r\n")  # the scrollback, replayed
        third = Attached(gateway, session_id, "cli")
        try:
            third.expect("hello-42\r\n")
            # The second client's stream ends with the reason; it exits and restores its terminal.
            assert second.wait() == 0
            assert b"another client attached" in second.seen
            third.type("exit\r")
            assert third.wait() == 0
            assert b"[terminal cli exited 0]" in third.seen
        finally:
            third.close()
    finally:
        second.close()


def test_sigterm_restores_the_local_terminal(gateway, session_id):
    cli(gateway, "terminal", "create", session_id, "--name", "term")
    attached = Attached(gateway, session_id, "term")
    try:
        cooked_echo = termios.ECHO | termios.ICANON
        attached.type("echo ready-$((1+1))\r")
        attached.expect("ready-2\r\n")
        assert not attached.local_flags() & termios.ICANON
        os.kill(attached.pid, signal.SIGTERM)
        assert attached.wait() == 0
        assert attached.local_flags() & cooked_echo == cooked_echo
    finally:
        attached.close()
    cli(gateway, "terminal", "delete", session_id, "term")
    listed = json.loads(cli(gateway, "terminal", "list", session_id, "--output", "json")).get("terminals", [])
    assert "term" not in [t["name"] for t in listed]
